import { Injectable } from '@nestjs/common';

/** Destruction of an asset's data (DS 37) (stand-in: the helper who owns this folder replaces it). */
@Injectable()
export class DestructionService {
  /** Removes the bytes of executed destructions that a crash left stored; returns how many blobs it removed. */
  sweep(): Promise<number> {
    return Promise.resolve(0);
  }
}
