// node dist/examples/analytics-consumer/src/main.js: consumes CallEnded events and logs the
// per-hour outcome counts of the last 24 hours every REPORT_EVERY_MS.
import { MongoClient } from 'mongodb';
import { connect } from 'nats';
import pino from 'pino';
import { hourOf } from './call-ended';
import { CallEndedConsumer } from './call-ended-consumer';
import { loadConfig } from './config';
import { OutcomeStore } from './outcome-store';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ name: 'analytics-consumer', level: config.LOG_LEVEL });
  const nc = await connect({ servers: config.NATS_URL.split(','), name: 'analytics-consumer' });
  const mongo = await new MongoClient(config.MONGO_URL).connect();
  const store = new OutcomeStore(mongo.db(config.MONGO_DB));
  await store.ensureIndexes();
  const consumer = new CallEndedConsumer(nc, store, { namespace: config.NATS_NAMESPACE, durableName: config.CONSUMER_NAME }, log);
  await consumer.start();
  log.info({ stream: consumer.stream, filter: consumer.filterSubject, durable: config.CONSUMER_NAME }, 'consuming CallEnded events');

  const report = setInterval(() => {
    const fromHour = hourOf(new Date(Date.now() - 24 * 3600_000));
    store.hourlyCounts({ fromHour }).then((counts) => log.info({ counts }, 'calls per hour and outcome'), (err) => log.error({ err }, 'report failed'));
  }, config.REPORT_EVERY_MS);

  const stop = async () => {
    clearInterval(report);
    await consumer.stop();
    await nc.drain();
    await mongo.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err) => {
  pino({ name: 'analytics-consumer' }).fatal({ err }, 'analytics consumer failed');
  process.exit(1);
});
