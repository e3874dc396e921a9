import { Static, TObject, TSchema, Type } from '@sinclair/typebox';

/** Metadata every event carries: which aggregate, campaign and client it is about, and why it happened. */
export const EventMetadataSchema = Type.Object({
  aggregateId: Type.String({ description: 'id of the aggregate whose stream holds the event' }),
  clientId: Type.String({ description: 'tenant that owns the aggregate' }),
  campaignId: Type.Optional(Type.String({ description: 'campaign the event belongs to, when any' })),
  correlationId: Type.String({ description: 'id shared by every message caused by one request' }),
  causationId: Type.Optional(Type.String({ description: 'id of the message that caused this one' })),
});
export type EventMetadata = Static<typeof EventMetadataSchema>;

/** The envelope of every published event: `{id, type, version, occurredAt, data, metadata}`. */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  data: TData;
  metadata: EventMetadata;
}

/** A versioned event contract: its name, version, subject pattern and JSON Schema. */
export interface EventContract<TType extends string, TData extends TSchema> {
  type: TType;
  version: number;
  subject: string;
  description: string;
  dataSchema: TData;
  schema: TObject;
}

export function defineEvent<TType extends string, TData extends TSchema>(spec: {
  type: TType;
  version: number;
  subject: string;
  description: string;
  data: TData;
}): EventContract<TType, TData> {
  return {
    type: spec.type,
    version: spec.version,
    subject: spec.subject,
    description: spec.description,
    dataSchema: spec.data,
    schema: Type.Object(
      {
        id: Type.String(),
        type: Type.Literal(spec.type),
        version: Type.Literal(spec.version),
        occurredAt: Type.String({ format: 'date-time' }),
        data: spec.data,
        metadata: EventMetadataSchema,
      },
      { $id: `${spec.type}.v${spec.version}`, description: spec.description },
    ),
  };
}

/** The envelope type of a contract. */
export type EventOf<C> = C extends EventContract<infer T, infer D> ? EventEnvelope<T, Static<D>> : never;
