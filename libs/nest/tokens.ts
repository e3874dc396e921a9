/** Injection tokens of the infrastructure every service shares. */
export const NATS = Symbol('NatsContext');
export const MONGO = Symbol('MongoHandle');
export const LOGGER = Symbol('Logger');
export const RPC = Symbol('RpcServer');
export const CONFIG = Symbol('Config');
