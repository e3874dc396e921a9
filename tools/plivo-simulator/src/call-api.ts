// The Plivo Call API subset: POST /v1/Account/{authId}/Call/, and GET / DELETE
// /v1/Account/{authId}/Call/{uuid}/ (uuid = CallUUID or request_uuid).
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCallRequest, stringifyBody } from './call-request';
import { basicAuth, readBody, sendEmpty, sendJson } from './http-util';
import { plivoTime, SimulatedCall } from './simulated-call';
import { SimulatorCore } from './simulator-core';
import { CallRecord } from './types';

const CALL_PATH = /^\/v1\/Account\/([^/]+)\/Call\/?(?:([^/]+)\/?)?$/;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function authorised(req: IncomingMessage, pathAuthId: string, core: SimulatorCore): boolean {
  const credentials = basicAuth(req);
  const { authId, authToken } = core.config;
  return (
    credentials !== null &&
    credentials.user === authId &&
    decodeURIComponent(pathAuthId) === authId &&
    sameSecret(credentials.password, authToken)
  );
}

const apiError = (res: ServerResponse, status: number, error: string) => sendJson(res, status, { api_id: randomUUID(), error });

/** Handles the request if it is a Call API path; returns false otherwise. */
export async function handleCallApi(req: IncomingMessage, res: ServerResponse, path: string, core: SimulatorCore): Promise<boolean> {
  const match = CALL_PATH.exec(path);
  if (!match) return false;
  const [, pathAuthId, uuid] = match;
  if (!authorised(req, pathAuthId, core)) {
    apiError(res, 401, 'authentication failed');
    return true;
  }
  const method = req.method ?? 'GET';
  if (uuid === undefined && method === 'POST') {
    await createCall(req, res, core);
  } else if (uuid !== undefined && method === 'GET') {
    const record = core.store.get(decodeURIComponent(uuid));
    if (record) sendJson(res, 200, callDetail(record, core.findLive(record.callUuid), pathAuthId));
    else apiError(res, 404, 'call not found');
  } else if (uuid !== undefined && method === 'DELETE') {
    const live = core.findLive(decodeURIComponent(uuid));
    if (live?.hangUpByApi()) sendEmpty(res, 204);
    else apiError(res, 404, 'call not found or already ended');
  } else {
    apiError(res, 405, `method ${method} not allowed`);
  }
  return true;
}

async function createCall(req: IncomingMessage, res: ServerResponse, core: SimulatorCore): Promise<void> {
  const body = await readBody(req);
  const refusal = core.refuseCallRequest(stringifyBody(body));
  if (refusal) {
    sendJson(res, refusal.status, refusal.body);
    return;
  }
  const parsed = parseCallRequest(body);
  if (!parsed.ok) {
    apiError(res, 400, parsed.error);
    return;
  }
  const record = core.placeCall(parsed);
  sendJson(res, 201, { api_id: randomUUID(), message: 'call fired', request_uuid: record.requestUuid });
}

/** Shaped after Plivo's Call object (plivo.com/docs/voice/api/call/the-call-object). */
function callDetail(record: CallRecord, live: SimulatedCall | undefined, authId: string) {
  const ended = record.liveTo !== null;
  const duration = record.answeredAt !== null && ended ? Math.ceil(((record.liveTo as number) - record.answeredAt) / 1000) : 0;
  return {
    api_id: randomUUID(),
    call_uuid: record.callUuid,
    request_uuid: record.requestUuid,
    call_direction: 'outbound',
    call_status: ended ? record.hangup?.callStatus : live?.status === 'answered' ? 'in-progress' : live?.status === 'ringing' ? 'ringing' : 'queued',
    from_number: record.request.from,
    to_number: record.request.to,
    initiation_time: plivoTime(record.requestedAt),
    answer_time: record.answeredAt === null ? null : plivoTime(record.answeredAt),
    end_time: ended ? plivoTime(record.liveTo as number) : null,
    call_duration: duration,
    bill_duration: duration,
    billed_duration: duration,
    hangup_cause_name: record.hangup?.causeName ?? null,
    hangup_cause_code: record.hangup ? Number(record.hangup.causeCode) : null,
    hangup_source: record.hangup?.source ?? null,
    resource_uri: `/v1/Account/${authId}/Call/${record.callUuid}/`,
  };
}
