import { Inject, Injectable } from '@nestjs/common';
import { NatsContext } from '@libs/nats/nats-context';
import { CONFIG, NATS } from '@libs/nest/tokens';
import { CampaignsConfig } from '../config';
import { KeyedMutex } from './keyed-mutex';
import { ProjectionBarrier } from './projection-barrier';

/** The durable of CampaignStreamProcessor (dispatch/campaign-stream.processor.ts), which projects contacts. */
export const CAMPAIGNS_PROCESSOR_DURABLE = 'campaigns-processor';

/** Where a batch of contacts goes, and which strictly ordered projection turns it into read-model rows. */
export interface ImportTarget {
  stream: string;
  /** Durable name of the projection's consumer (one message in flight). */
  durable: string;
  subject: string;
}

/**
 * Contact imports (campaign or list) de-duplicate against a read model. For that to also catch a
 * number sent in the previous chunk or upload, an import of one target runs after the earlier ones of
 * this instance finished, and after the projection has caught up with everything on the target's
 * subject. (Two instances importing into the same target at the same moment may still both accept a
 * number; the projection inserts it once, so only the counts can be off.)
 */
@Injectable()
export class OrderedImports {
  private readonly mutex = new KeyedMutex();

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(CONFIG) private readonly config: CampaignsConfig,
  ) {}

  run<T>(target: ImportTarget, task: () => Promise<T>): Promise<T> {
    const barrier = new ProjectionBarrier(this.nats.jsm, target.stream, target.durable, { timeoutMs: this.config.IMPORT_PROJECTION_WAIT_MS });
    return this.mutex.run(target.subject, async () => {
      await barrier.waitFor(target.subject);
      return task();
    });
  }
}
