/** Connection URLs of a NATS JetStream server and a MongoDB-wire server, and how to stop them. */
export interface TestServers {
  natsUrl: string;
  mongoUrl: string;
  stop(): Promise<void>;
}
