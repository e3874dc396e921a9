import { RequestContext } from '@contracts/commands';
import { ImportChunk } from './chunked-import';

/**
 * Each chunk of an upload is a command of its own: its id must differ from the other chunks' (event
 * ids derive from it and JetStream drops repeated ids), yet stay stable for a retried request.
 */
export function chunkContext(ctx: RequestContext, chunk: Pick<ImportChunk, 'index'>): RequestContext {
  return { ...ctx, commandId: `${ctx.commandId}.c${chunk.index}` };
}
