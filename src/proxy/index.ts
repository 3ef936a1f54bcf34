/** `volley proxy`: a fault-injection proxy (HTTP faults, Toxiproxy toxics, Toxiproxy's control API). */
export { runProxyCommand, describeProxies, parseToxicLines, probe, type ProxyCommandOptions, type RunningProxies } from './cli.js';
export { ProxyCollection } from './collection.js';
export { Proxy, parseUpstream, splitHostPort, type ProxySpec } from './proxy.js';
export { createApiServer, TOXIPROXY_API_VERSION } from './api.js';
export { parseHttpFault, tokenizeFault, HTTP_FAULT_KINDS, type HttpFault, type HttpFaultKind } from './http-faults.js';
export { parseToxic, TOXIC_TYPES, ApiError, type Toxic, type ToxicType } from './toxics.js';
