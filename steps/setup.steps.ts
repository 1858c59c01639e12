// Given steps: the sockets, peers and conditions a scenario starts from.
import { Given } from "@cucumber/cucumber";
import { FD_BITS, FdEventName } from "../drivers/winsock";
import { CALLEE_SEED, DEFAULT_HOST, JoinLeafWorld, patternBytes, qos } from "./world";

export { CALLEE_SEED } from "./world";
/** Ports the scenarios bind to; listening roots get their own from here up. */
const LISTEN_PORT = 7000;

Given(/^a (c_root|c_leaf) socket "([^"]+)"(?: on host "([^"]+)")?( that creates a socket group)?$/, async function (this: JoinLeafWorld, role, name, host, group) {
  await this.createSocket(name, role as "c_root" | "c_leaf", host ?? DEFAULT_HOST, !!group);
});

Given("a socket {string} opened without multipoint flags", async function (this: JoinLeafWorld, name: string) {
  await this.createPlainSocket(name);
});

Given("{string} is in nonblocking mode", async function (this: JoinLeafWorld, name: string) {
  await this.expectOk("ioctlsocket(FIONBIO)", await this.driver.setNonBlocking(this.socket(name).sock, true));
  this.socket(name).blocking = false;
});

Given(/^"([^"]+)" is bound to port (\d+) of (its host|the wildcard) address$/, async function (this: JoinLeafWorld, name, port, which) {
  const addr = await this.localName(name, Number(port), which === "the wildcard");
  await this.expectOk(`bind("${name}")`, await this.driver.bind(this.socket(name).sock, addr, addr.length / 2));
});

Given("{string} allows address reuse", async function (this: JoinLeafWorld, name: string) {
  await this.expectOk("setsockopt(SO_REUSEADDR)", await this.driver.setReuseAddress(this.socket(name).sock, true));
});

Given("{string} is listening", async function (this: JoinLeafWorld, name: string) {
  const s = this.socket(name);
  const port = LISTEN_PORT + [...this.sockets.keys()].indexOf(name);
  const addr = await this.localName(name, port, false);
  await this.expectOk(`bind("${name}")`, await this.driver.bind(s.sock, addr, addr.length / 2));
  await this.expectOk(`listen("${name}")`, await this.driver.listen(s.sock, 5));
});

Given(/^"([^"]+)" registers for (.+) with (WSAEventSelect|WSAAsyncSelect)$/, async function (this: JoinLeafWorld, name, list, how) {
  await this.register(name, parseEvents(list), how === "WSAEventSelect" ? "event-select" : "async-select");
});

Given(
  /^a peer "([^"]+)" that (accepts joins|refuses joins|never answers)(?: and answers with (\d+) bytes of callee data)?$/,
  async function (this: JoinLeafWorld, name, answer, calleeBytes) {
    const behaviour = {
      answer: answer === "accepts joins" ? ("accept" as const) : answer === "refuses joins" ? ("refuse" as const) : ("silent" as const),
      calleeData: calleeBytes ? patternBytes(Number(calleeBytes), CALLEE_SEED) : undefined,
    };
    this.peers.set(name, await this.expectOk(`defining peer "${name}"`, await this.testbed.definePeer(name, behaviour)));
  },
);

Given("a peer {string} on a network with no route", async function (this: JoinLeafWorld, name: string) {
  this.peers.set(name, await this.expectOk(`defining peer "${name}"`, await this.testbed.definePeer(name, { answer: "unreachable" })));
});

Given("a multipoint session {string}", async function (this: JoinLeafWorld, name: string) {
  this.peers.set(name, await this.expectOk(`defining session "${name}"`, await this.testbed.definePeer(name, { answer: "session" })));
});

Given("the network subsystem has failed", async function (this: JoinLeafWorld) {
  await this.injectFault(DEFAULT_HOST, "network-down");
});

Given("the provider has run out of buffer space", async function (this: JoinLeafWorld) {
  await this.injectFault(DEFAULT_HOST, "no-buffers");
});

Given("the application has called WSACleanup", async function (this: JoinLeafWorld) {
  await this.expectOk("WSACleanup", await this.driver.cleanup(DEFAULT_HOST));
});

Given("the application uses Winsock 1.1 blocking calls", async function (this: JoinLeafWorld) {
  await this.expectOk("WSAStartup(1.1)", await this.driver.startup(DEFAULT_HOST, { version: "1.1" }));
});

Given(
  /^"([^"]+)" has (socket|group) QOS with a sending token rate of (\d+)$/,
  async function (this: JoinLeafWorld, name, which, tokenRate) {
    const s = this.socket(name);
    await this.expectOk(`WSAIoctl(SIO_SET_${which === "group" ? "GROUP_" : ""}QOS)`, await this.driver.setQos(s.sock, qos(Number(tokenRate)), which === "group"));
  },
);

/** "FD_CONNECT", "FD_CONNECT and FD_CLOSE", "FD_ACCEPT, FD_CONNECT and FD_CLOSE". */
export function parseEvents(list: string): FdEventName[] {
  const names = list.split(/,\s*|\s+and\s+/).map((n) => n.trim());
  for (const n of names) if (!(n in FD_BITS)) throw new Error(`unknown network event "${n}"; known: ${Object.keys(FD_BITS).join(", ")}`);
  return names as FdEventName[];
}
