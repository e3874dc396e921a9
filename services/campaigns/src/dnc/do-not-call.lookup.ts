import { Inject, Injectable } from '@nestjs/common';
import { NatsContext } from '@libs/nats/nats-context';
import { NATS } from '@libs/nest/tokens';
import { isDoNotCall } from './do-not-call-list';

/** For the campaigns service's own use (e.g. the feeder): is this E.164 number on the client's do-not-call list? One KV get. */
@Injectable()
export class DoNotCallLookup {
  constructor(@Inject(NATS) private readonly nats: NatsContext) {}

  isDoNotCall(clientId: string, e164: string): Promise<boolean> {
    return isDoNotCall(this.nats.buckets.dnc, clientId, e164);
  }
}
