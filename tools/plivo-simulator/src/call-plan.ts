// Decides, up front and without side effects, when each step of a call happens.
import { MachineDetectionMode, MsRange, Outcome, TunableConfig } from './types';

export type MachineDetection = 'true' | 'hangup' | undefined;

/** The Call API parameters that shape the timeline. */
export interface CallTimingRequest {
  ringTimeoutS?: number;
  timeLimitS?: number;
  machineDetection: MachineDetection;
  machineDetectionUrl?: string;
  machineDetectionTimeMs?: number;
}

/** All durations in real milliseconds (already multiplied by the time scale). */
export interface CallPlan {
  outcome: Outcome;
  /** Request -> ring callback. */
  ringAfterMs: number;
  /** Ring -> answer (answer/voicemail), or ring -> hangup (busy, failed, no-answer). */
  settleAfterMs: number;
  /** Answer XML received -> hangup; 0 when never answered. */
  talkMs: number;
  /** Answer -> async machine_detection_url callback; null when none is sent. */
  machineAfterMs: number | null;
  /** Machine=true|false goes in the answer_url request (detection without a callback URL). */
  syncMachineParam: boolean;
  /** machine_detection=hangup and a machine answered: the call ends on detection. */
  machineHangup: boolean;
}

const DEFAULT_MACHINE_DETECTION_TIME_MS = 5000;

export function sampleRange(range: MsRange, random: () => number = Math.random): number {
  return range.min + (range.max - range.min) * random();
}

/** Where a call's machine-detection result goes, given the simulator's mode (see MachineDetectionMode). */
export function machineReport(mode: MachineDetectionMode, request: CallTimingRequest): 'off' | 'sync' | 'async' {
  if (request.machineDetection === undefined) return 'off';
  if (mode === 'sync' || mode === 'async') return mode;
  return request.machineDetectionUrl ? 'async' : 'sync';
}

export function planCall(
  outcome: Outcome,
  request: CallTimingRequest,
  config: Pick<TunableConfig, 'ringMs' | 'talkMs' | 'timeScale'> & { machineDetection?: MachineDetectionMode },
  random: () => number = Math.random,
): CallPlan {
  const scale = (ms: number) => Math.max(0, Math.round(ms * config.timeScale));
  const answered = outcome === 'answer' || outcome === 'voicemail';
  const report = machineReport(config.machineDetection ?? 'auto', request);
  const detecting = report !== 'off';
  const detectsAsync = report === 'async';
  const machine = outcome === 'voicemail' && detecting;

  const ringAfter = sampleRange(config.ringMs, random);
  const settleAfter =
    outcome === 'no-answer' && request.ringTimeoutS !== undefined
      ? request.ringTimeoutS * 1000
      : sampleRange(config.ringMs, random);

  let talk = answered ? sampleRange(config.talkMs, random) : 0;
  if (request.timeLimitS !== undefined) talk = Math.min(talk, request.timeLimitS * 1000);

  let machineAfter: number | null = null;
  if (machine && detectsAsync && request.machineDetectionUrl) {
    machineAfter = Math.min(talk / 2, request.machineDetectionTimeMs ?? DEFAULT_MACHINE_DETECTION_TIME_MS);
  }
  const machineHangup = machine && request.machineDetection === 'hangup';
  if (machineHangup) talk = machineAfter ?? 0;

  return {
    outcome,
    ringAfterMs: scale(ringAfter),
    settleAfterMs: scale(settleAfter),
    talkMs: scale(talk),
    machineAfterMs: machineAfter === null ? null : scale(machineAfter),
    syncMachineParam: answered && detecting && !detectsAsync,
    machineHangup,
  };
}
