import { DEFAULT_CAMPAIGN_SETTINGS } from '@contracts/campaigns/settings';
import { spec } from '@libs/decider/given-when-then';
import { makeEvent, CommandMetadata } from '@libs/event-store/make-event';
import {
  CampaignCancelledV1,
  CampaignCompletedV1,
  CampaignCreatedV1,
  CampaignDeletedV1,
  CampaignUpdatedV1,
  CampaignPausedV1,
  CampaignResumedV1,
  CampaignRetryRequestedV1,
  CampaignScheduledV1,
  CampaignStartedV1,
} from '@contracts/campaigns/events';
import { campaignDecider } from './campaign.decide';
import { CreateCampaign } from './campaign.commands';

const meta = (commandId: string, now = '2026-11-20T10:00:00.000Z'): CommandMetadata => ({
  commandId,
  correlationId: 'corr-1',
  now,
  by: 'client-1',
});
const ids = { aggregateId: 'c1', campaignId: 'c1', clientId: 'client-1' };
const createData: CreateCampaign['data'] = {
  campaignId: 'c1',
  clientId: 'client-1',
  name: 'Renewals',
  fromNumber: '+14155550100',
  wssUrl: 'wss://bot.example.com/stream',
  settings: { ...DEFAULT_CAMPAIGN_SETTINGS, concurrentCallsLimit: 5 },
};
const created = makeEvent(CampaignCreatedV1, { ...createData, createdAt: '2026-11-20T09:00:00.000Z' }, meta('cmd-0', '2026-11-20T09:00:00.000Z'), ids);
const started = makeEvent(
  CampaignStartedV1,
  { campaignId: 'c1', startedAt: '2026-11-20T10:00:00.000Z', startedBy: 'client-1' },
  meta('cmd-1'),
  ids,
);
const completed = makeEvent(
  CampaignCompletedV1,
  { campaignId: 'c1', completedAt: '2026-11-20T10:00:00.000Z', contacts: 200 },
  meta('cmd-2'),
  ids,
);

describe('campaign decider', () => {
  const campaign = spec(campaignDecider);

  describe('CreateCampaign', () => {
    it('creates a draft campaign', () =>
      campaign
        .given([])
        .when({ type: 'CreateCampaign', data: createData, metadata: meta('cmd-0', '2026-11-20T09:00:00.000Z') })
        .then([created]));

    it('creates a scheduled campaign and records who scheduled it', () => {
      const data = { ...createData, scheduledTime: '2026-11-21T09:00:00.000Z' };
      campaign
        .given([])
        .when({ type: 'CreateCampaign', data, metadata: meta('cmd-0', '2026-11-20T09:00:00.000Z') })
        .then([
          makeEvent(
            CampaignCreatedV1,
            { ...data, scheduledBy: 'client-1', createdAt: '2026-11-20T09:00:00.000Z' },
            meta('cmd-0', '2026-11-20T09:00:00.000Z'),
            ids,
          ),
        ]);
    });

    it('refuses a scheduledTime in the past', () =>
      campaign
        .given([])
        .when({ type: 'CreateCampaign', data: { ...createData, scheduledTime: '2026-11-19T09:00:00.000Z' }, metadata: meta('cmd-0') })
        .thenRefuses('invalid', /future/));

    it('refuses to create the same campaign twice', () =>
      campaign.given([created]).when({ type: 'CreateCampaign', data: createData, metadata: meta('cmd-9') }).thenRefuses('conflict'));
  });

  describe('StartCampaign', () => {
    const start = { type: 'StartCampaign' as const, data: { campaignId: 'c1', clientId: 'client-1' }, metadata: meta('cmd-1') };

    it('starts a draft campaign', () => campaign.given([created]).when(start).then([started]));

    it('refuses to start a running campaign', () => campaign.given([created, started]).when(start).thenRefuses('conflict', /running/));

    it('refuses to start a completed campaign', () =>
      campaign.given([created, started, completed]).when(start).thenRefuses('conflict', /completed/));

    it('reports a missing campaign as not found', () => campaign.given([]).when(start).thenRefuses('not-found'));

    it("reports another client's campaign as not found", () =>
      campaign
        .given([created])
        .when({ ...start, data: { campaignId: 'c1', clientId: 'client-2' } })
        .thenRefuses('not-found'));
  });

  describe('CompleteCampaign', () => {
    const complete = { type: 'CompleteCampaign' as const, data: { campaignId: 'c1', contacts: 200 }, metadata: meta('cmd-2') };

    it('completes a running campaign', () => campaign.given([created, started]).when(complete).then([completed]));

    it('is a no-op on a completed campaign (several instances may notice completion)', () =>
      campaign.given([created, started, completed]).when(complete).then([]));

    it('refuses to complete a draft campaign', () => campaign.given([created]).when(complete).thenRefuses('conflict'));
  });

  describe('PauseCampaign / ResumeCampaign / CancelCampaign', () => {
    const cmd = (type: 'PauseCampaign' | 'ResumeCampaign' | 'CancelCampaign', id: string) => ({
      type,
      data: { campaignId: 'c1', clientId: 'client-1' },
      metadata: meta(id),
    });
    const paused = makeEvent(CampaignPausedV1, { campaignId: 'c1', pausedAt: '2026-11-20T10:00:00.000Z', pausedBy: 'client-1' }, meta('p1'), ids);
    const resumed = makeEvent(CampaignResumedV1, { campaignId: 'c1', resumedAt: '2026-11-20T10:00:00.000Z', resumedBy: 'client-1' }, meta('r1'), ids);
    const cancelled = (id: string) =>
      makeEvent(CampaignCancelledV1, { campaignId: 'c1', cancelledAt: '2026-11-20T10:00:00.000Z', cancelledBy: 'client-1' }, meta(id), ids);

    it('pauses a running campaign', () => campaign.given([created, started]).when(cmd('PauseCampaign', 'p1')).then([paused]));
    it('refuses to pause a paused campaign (a second pause is a 409, not a second event)', () =>
      campaign.given([created, started, paused]).when(cmd('PauseCampaign', 'p2')).thenRefuses('conflict', /paused/));
    it('refuses to pause a draft campaign', () => campaign.given([created]).when(cmd('PauseCampaign', 'p1')).thenRefuses('conflict', /draft/));
    it('resumes a paused campaign', () => campaign.given([created, started, paused]).when(cmd('ResumeCampaign', 'r1')).then([resumed]));
    it('refuses to resume a running campaign', () =>
      campaign.given([created, started]).when(cmd('ResumeCampaign', 'r1')).thenRefuses('conflict', /running/));
    it.each([
      ['draft', [created]],
      ['running', [created, started]],
      ['paused', [created, started, paused]],
      ['resumed', [created, started, paused, resumed]],
    ])('cancels a %s campaign', (_name, history) => campaign.given(history).when(cmd('CancelCampaign', 'x1')).then([cancelled('x1')]));
    it('refuses to cancel a completed campaign', () =>
      campaign.given([created, started, completed]).when(cmd('CancelCampaign', 'x1')).thenRefuses('conflict', /completed/));
    it('refuses to cancel twice', () =>
      campaign.given([created, cancelled('x1')]).when(cmd('CancelCampaign', 'x2')).thenRefuses('conflict', /cancelled/));
    it('does not complete a paused campaign', () =>
      campaign
        .given([created, started, paused])
        .when({ type: 'CompleteCampaign', data: { campaignId: 'c1', contacts: 1 }, metadata: meta('k') })
        .thenRefuses('conflict'));
    it("hides another client's campaign", () =>
      campaign
        .given([created, started])
        .when({ ...cmd('PauseCampaign', 'p1'), data: { campaignId: 'c1', clientId: 'client-2' } })
        .thenRefuses('not-found'));
  });

  describe('ScheduleCampaign', () => {
    const schedule = (scheduledTime: string) => ({
      type: 'ScheduleCampaign' as const,
      data: { campaignId: 'c1', clientId: 'client-1', scheduledTime },
      metadata: meta('s1'),
    });
    const scheduled = makeEvent(
      CampaignScheduledV1,
      { campaignId: 'c1', scheduledTime: '2026-11-21T09:00:00.000Z', scheduledBy: 'client-1' },
      meta('s1'),
      ids,
    );

    it('schedules a draft campaign', () => campaign.given([created]).when(schedule('2026-11-21T09:00:00.000Z')).then([scheduled]));
    it('reschedules a scheduled campaign', () =>
      campaign.given([created, scheduled]).when(schedule('2026-11-21T09:00:00.000Z')).then([scheduled]));
    it('refuses a time in the past', () => campaign.given([created]).when(schedule('2026-11-20T09:59:59.000Z')).thenRefuses('invalid', /future/));
    it('refuses to schedule a running campaign', () =>
      campaign.given([created, started]).when(schedule('2026-11-21T09:00:00.000Z')).thenRefuses('conflict', /running/));
    it("refuses the scheduler's start for a time the campaign was rescheduled from", () =>
      campaign
        .given([created, scheduled])
        .when({ type: 'StartCampaign', data: { campaignId: 'c1', clientId: 'client-1', scheduledFor: '2026-11-21T08:00:00.000Z' }, metadata: meta('x') })
        .thenRefuses('conflict', /no longer scheduled/));
    it('starts a scheduled campaign', () =>
      campaign
        .given([created, scheduled])
        .when({ type: 'StartCampaign', data: { campaignId: 'c1', clientId: 'client-1' }, metadata: meta('cmd-1') })
        .then([started]));
  });

  describe('UpdateCampaign / DeleteCampaign', () => {
    const update = (changes: object) => ({
      type: 'UpdateCampaign' as const,
      data: { campaignId: 'c1', clientId: 'client-1', ...changes },
      metadata: meta('u1'),
    });
    const remove = { type: 'DeleteCampaign' as const, data: { campaignId: 'c1', clientId: 'client-1' }, metadata: meta('d1') };

    it('changes the limit of a running campaign, keeping the other settings', () =>
      campaign
        .given([created, started])
        .when(update({ settings: { concurrentCallsLimit: 9 } }))
        .then([
          makeEvent(
            CampaignUpdatedV1,
            { campaignId: 'c1', settings: { ...createData.settings, concurrentCallsLimit: 9 }, updatedBy: 'client-1' },
            meta('u1'),
            ids,
          ),
        ]));
    it('records nothing when nothing changes', () =>
      campaign.given([created]).when(update({ name: 'Renewals', settings: { concurrentCallsLimit: 5 } })).then([]));
    it('deletes a draft campaign', () =>
      campaign
        .given([created])
        .when(remove)
        .then([makeEvent(CampaignDeletedV1, { campaignId: 'c1', deletedAt: '2026-11-20T10:00:00.000Z', deletedBy: 'client-1' }, meta('d1'), ids)]));
    it('refuses to delete a running campaign', () => campaign.given([created, started]).when(remove).thenRefuses('conflict', /running/));
    it('treats a deleted campaign as not found', () =>
      campaign
        .given([created, makeEvent(CampaignDeletedV1, { campaignId: 'c1', deletedAt: '2026-11-20T10:00:00.000Z', deletedBy: 'client-1' }, meta('d1'), ids)])
        .when(update({ name: 'x' }))
        .thenRefuses('not-found'));
  });

  describe('RetryCampaign', () => {
    const retry = (includeVoicemail = false) => ({
      type: 'RetryCampaign' as const,
      data: { campaignId: 'c1', clientId: 'client-1', includeVoicemail },
      metadata: meta('rt1'),
    });
    const retried = (includeVoicemail = false) =>
      makeEvent(
        CampaignRetryRequestedV1,
        { campaignId: 'c1', includeVoicemail, requestedAt: '2026-11-20T10:00:00.000Z', requestedBy: 'client-1' },
        meta('rt1'),
        ids,
      );
    const paused = makeEvent(CampaignPausedV1, { campaignId: 'c1', pausedAt: '2026-11-20T10:00:00.000Z', pausedBy: 'client-1' }, meta('p1'), ids);

    it('retries the failed contacts of a running campaign', () => campaign.given([created, started]).when(retry()).then([retried()]));
    it('retries a paused campaign (it stays paused)', () =>
      campaign.given([created, started, paused]).when(retry(true)).then([retried(true)], (s) => expect(s.status).toBe('paused')));
    it('runs a completed campaign again', () =>
      campaign
        .given([created, started, completed])
        .when(retry())
        .then([retried()], (s) => expect(s.status).toBe('running')));
    const completeIn = (retryRound?: number) => ({
      type: 'CompleteCampaign' as const,
      data: { campaignId: 'c1', contacts: 200, ...(retryRound ? { retryRound } : {}) },
      metadata: meta('cmd-2'),
    });
    it('completes again after the retry round', () => campaign.given([created, started, completed, retried()]).when(completeIn(1)).then([completed]));
    it('refuses a completion observed before the latest retry request', () =>
      campaign.given([created, started, completed, retried()]).when(completeIn()).thenRefuses('conflict', /retry/));
    it('refuses a draft campaign', () => campaign.given([created]).when(retry()).thenRefuses('conflict', /draft/));
    it("hides another client's campaign", () =>
      campaign
        .given([created, started])
        .when({ ...retry(), data: { ...retry().data, clientId: 'client-2' } })
        .thenRefuses('not-found'));
  });
});
