import { Server, type IncomingMessage } from "node:http";
import { SOCKET_ADDRESS_HEADER, SOCKET_STAMP } from "./client-ip.ts";

/**
 * Stamps every request this process's HTTP servers receive with its socket's
 * address, overwriting any header of that name a client sent. Next.js 16
 * hands App Router code no socket, so this is the one place it is still
 * known; lib/auth/client-ip.ts reads the header only once this has run.
 */
export function stampSocketAddresses() {
  const global = globalThis as Record<symbol, unknown>;
  if (global[SOCKET_STAMP]) return;
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      request.headers[SOCKET_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "";
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
  global[SOCKET_STAMP] = true;
}
