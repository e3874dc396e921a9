import { describeExit, LineSink, ProcessExit } from '../../libs/testing/managed-process';

const NAME_WIDTH = 'call-tracking'.length;

/** Writes a child's line as `<name> | <line>`; JSON log lines stay intact after the prefix. */
export const print: LineSink = (name, line, stream) => {
  (stream === 'stderr' ? process.stderr : process.stdout).write(`${name.padEnd(NAME_WIDTH)} | ${line}\n`);
};
export const log = (message: string): void => message.split('\n').forEach((line) => print('start', line, 'stdout'));
export const warn = (message: string): void => message.split('\n').forEach((line) => print('start', line, 'stderr'));

const reportDeath = (name: string, exit: ProcessExit): void =>
  warn(`${name} ${describeExit(exit)} unexpectedly (not restarted; Ctrl-C stops the rest)`);

/** For every child: prefixed output, deaths reported, and detached so that Ctrl-C reaches only
 * this process, which stops the services before NATS and FerretDB. */
export const childOptions = { onLine: print, onUnexpectedExit: reportDeath, detached: true };
