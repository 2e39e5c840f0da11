import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/database';
import type { JsonValue, LedgerActor } from './core/ledger-entry.js';
import { LedgerRecorder } from './ledger-recorder.js';

/** DS 16: reads and exports of the ledger by regulators and operators are themselves ledger entries. */
@Injectable()
export class LedgerAccessLog {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly recorder: LedgerRecorder,
  ) {}

  async record(
    actor: LedgerActor,
    action: 'ledger.read' | 'ledger.exported' | 'ledger.verified',
    payload: JsonValue,
  ): Promise<number> {
    const [entry] = await this.uow.run((em) =>
      this.recorder.record(em, [
        { actor, action, subjectIds: actor.organisationId ? [actor.organisationId] : [], payload },
      ]),
    );
    return entry.index;
  }
}
