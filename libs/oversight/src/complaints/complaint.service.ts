import { Injectable } from '@nestjs/common';

/** Complaints and reports from anyone (DE 26, DE 60, DS 58) (stand-in: the helper who owns this folder replaces it). */
@Injectable()
export class ComplaintService {}
