import { Injectable } from '@nestjs/common';

/** The regulators' figures of the market (DS 58, 59; DE 58) (stand-in: the helper who owns this folder replaces it). */
@Injectable()
export class SupervisionService {}
