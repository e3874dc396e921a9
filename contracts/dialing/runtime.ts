import { Static, Type } from '@sinclair/typebox';
import { CampaignSettingsSchema } from '../campaigns/settings';

/**
 * What dialers and call-tracking need to know about a campaign, kept by the campaigns service in the
 * `campaign_runtime` KV bucket (key = campaignId). `revision` is the stream sequence of the last event
 * folded in, so a stale write can be recognised.
 */
export const CampaignRuntimeSchema = Type.Object({
  campaignId: Type.String(),
  clientId: Type.String(),
  status: Type.String(),
  fromNumber: Type.String(),
  fromNumbers: Type.Optional(Type.Array(Type.String())),
  wssUrl: Type.Optional(Type.String()),
  answerUrl: Type.Optional(Type.String()),
  agentId: Type.Optional(Type.String()),
  settings: CampaignSettingsSchema,
  revision: Type.Integer(),
});
export type CampaignRuntime = Static<typeof CampaignRuntimeSchema>;

/** A client's limits, in the `client_runtime` KV bucket (key = clientId). */
export const ClientRuntimeSchema = Type.Object({
  clientId: Type.String(),
  maxConcurrentCalls: Type.Integer({ minimum: 1 }),
  revision: Type.Integer(),
});
export type ClientRuntime = Static<typeof ClientRuntimeSchema>;
