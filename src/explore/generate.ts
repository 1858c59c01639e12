// Random action sequences for `explore`, as fast-check arbitraries. An action picks the sockets and
// peers it acts on among those the scenario has named so far (by index, so that sequences reuse
// them: a join after a close after a refused join) and names new ones from a small pool.
import fc from "fast-check";
import type { DriverCapability } from "../../drivers/driver";
import type { FdEventName } from "../../drivers/winsock";
import type { Action, Step } from "./actions";

export const SOCKET_NAMES = ["a", "b", "c", "d", "e"] as const;
export const PEER_NAMES = ["p", "q", "r"] as const;

/** What the scenario has named so far (read from the reference World). */
export interface Names {
  sockets: string[];
  peers: string[];
  joined: boolean;
}

/** An action to be given names once the scenario so far is known; null when it cannot be made yet. */
export type Planned = (names: Names) => Action | null;

export interface GeneratorNeeds {
  capabilities: ReadonlySet<DriverCapability | string>;
  /** The chosen protocol entry's traits (rooted-control, connect-data, ...). */
  traits: ReadonlySet<string>;
}

const step = (keyword: Step["keyword"], text: string, extra: Partial<Step> = {}): Step => ({ keyword, text, ...extra });
const pick = (list: readonly string[], i: number): string | null => (list.length ? list[i % list.length] : null);
const fresh = (pool: readonly string[], names: Names): string | null => pool.find((n) => !names.sockets.includes(n) && !names.peers.includes(n)) ?? null;
const which = fc.nat(15);

/** Rows of a join table: well-formed and deliberately bad arguments, in the table's own words. */
const JOIN_ROWS: Array<fc.Arbitrary<[string, string]>> = [
  fc.constantFrom<[string, string]>(["caller data", "NULL"], ["caller data", "invalid pointer"], ["caller data", "8 bytes"], ["caller data", "8 bytes declared as 4096"], ["caller data", "the most the protocol allows"], ["caller data", "more than the protocol allows"]),
  fc.constantFrom<[string, string]>(["callee buffer", "NULL"], ["callee buffer", "0 bytes"], ["callee buffer", "4 bytes"], ["callee buffer", "64 bytes"]),
  fc.constantFrom<[string, string]>(["name", "NULL"], ["name", "invalid pointer"], ["name", "ADDR_ANY"], ["name", "an AF_INET6 address"]),
  fc.constantFrom<[string, string]>(["namelen", "0"], ["namelen", "4"], ["namelen", "15"]),
  fc.constantFrom<[string, string]>(["dwFlags", "JL_SENDER_ONLY"], ["dwFlags", "JL_RECEIVER_ONLY"], ["dwFlags", "JL_BOTH"], ["dwFlags", "0"], ["dwFlags", "8"]),
  fc.constantFrom<[string, string]>(["sending token rate", "1000"], ["sending token rate", "4000000000"], ["provider-specific QOS", "4 bytes declared as 64"]),
  fc.constantFrom<[string, string]>(["group sending token rate", "1000"], ["group sending token rate", "4000000000"]),
];
// Caller data and the callee buffer are what most rules are about: draw them twice as often.
const ROW_DRAWS = [0, 0, 1, 1, 2, 3, 4, 5, 6];
const joinRows: fc.Arbitrary<Array<[string, string]>> = fc
  .subarray(ROW_DRAWS, { maxLength: 3 })
  .chain((picked) => (picked.length ? fc.tuple(...picked.map((i) => JOIN_ROWS[i])) : fc.constant([] as Array<[string, string]>)));

const listOf = (events: string[]) => (events.length > 1 ? `${events.slice(0, -1).join(", ")} and ${events[events.length - 1]}` : events[0]);

/** The sockets and peers a sequence starts from, so that its first actions have something to act on. */
export function prelude(n: GeneratorNeeds): fc.Arbitrary<Planned[]> {
  const all = actionArbitraries(n);
  return fc.tuple(fc.array(all[0].arbitrary, { minLength: 1, maxLength: 3 }), fc.array(all[1].arbitrary, { minLength: 1, maxLength: 2 })).map(([s, p]) => [...s, ...p]);
}

/** Every kind of action the driver under test can take part in, each with how often to draw it. */
export function actionArbitraries(n: GeneratorNeeds): Array<{ weight: number; arbitrary: fc.Arbitrary<Planned> }> {
  const has = (c: string) => n.capabilities.has(c);
  const rooted = n.traits.has("rooted-control");
  const roles: Array<"c_root" | "c_leaf" | "plain"> = rooted ? ["c_root", "c_leaf", "plain"] : ["c_leaf", "plain"];
  const peers = [
    (p: string) => `a multipoint session "${p}"`,
    ...(has("scripted-peers")
      ? [
          (p: string) => `a peer "${p}" that accepts joins`,
          (p: string) => `a peer "${p}" that accepts joins and answers with 16 bytes of callee data`,
          (p: string) => `a peer "${p}" that accepts joins and answers with 2 bytes of callee data`,
          (p: string) => `a peer "${p}" that refuses joins`,
          (p: string) => `a peer "${p}" that never answers`,
        ]
      : []),
    ...(has("unreachable-peers") ? [(p: string) => `a peer "${p}" on a network with no route`] : []),
  ];
  const events: FdEventName[] = ["FD_CONNECT", "FD_CLOSE", "FD_ACCEPT", "FD_READ"];
  const onSocket = (weight: number, make: (name: string) => Action) => ({
    weight,
    arbitrary: which.map((i): Planned => (names) => {
      const name = pick(names.sockets, i);
      return name ? make(name) : null;
    }),
  });
  const onPeer = (weight: number, make: (peer: string) => Action) => ({
    weight,
    arbitrary: which.map((i): Planned => (names) => {
      const peer = pick(names.peers, i);
      return peer ? make(peer) : null;
    }),
  });
  const arbs: Array<{ weight: number; arbitrary: fc.Arbitrary<Planned> }> = [
    {
      weight: 4,
      arbitrary: fc.constantFrom(...roles).map((role): Planned => (names) => {
        const name = fresh(SOCKET_NAMES, names);
        if (!name) return null;
        return step("Given", role === "plain" ? `a socket "${name}" opened without multipoint flags` : `a ${role} socket "${name}"`);
      }),
    },
    {
      weight: 3,
      arbitrary: fc.nat(peers.length - 1).map((k): Planned => (names) => {
        const name = fresh(PEER_NAMES, names);
        return name ? step("Given", peers[k](name)) : null;
      }),
    },
    onSocket(2, (name) => step("Given", `"${name}" is in nonblocking mode`)),
    {
      weight: 1,
      arbitrary: fc.tuple(which, fc.constantFrom(5000, 5001), fc.boolean()).map(([i, port, wildcard]): Planned => (names) => {
        const name = pick(names.sockets, i);
        return name ? step("Given", `"${name}" is bound to port ${port} of ${wildcard ? "the wildcard" : "its host"} address`) : null;
      }),
    },
    onSocket(1, (name) => step("Given", `"${name}" allows address reuse`)),
    ...(rooted ? [onSocket(1, (name) => step("Given", `"${name}" is listening`))] : []),
    {
      weight: 2,
      arbitrary: fc.tuple(which, fc.subarray(events, { minLength: 1 }), fc.constantFrom("WSAEventSelect", "WSAAsyncSelect")).map(([i, list, how]): Planned => (names) => {
        const name = pick(names.sockets, i);
        return name ? step("Given", `"${name}" registers for ${listOf(list)} with ${how}`) : null;
      }),
    },
    {
      weight: 8,
      arbitrary: fc.tuple(which, which, fc.nat(3), joinRows).map(([i, j, toSocket, rows]): Planned => (names) => {
        const name = pick(names.sockets, i);
        // Mostly a peer or session; now and then one of the scenario's own sockets (a listening root).
        const target = toSocket === 0 ? pick(names.sockets, j) : pick(names.peers, j);
        const returned = fresh(SOCKET_NAMES, names) ?? `${name}2`;
        if (!name || !target) return null;
        return step("When", `"${name}" joins "${target}"${rows.length ? " with:" : ""}`, { table: rows.length ? rows : undefined, names: returned });
      }),
    },
    onSocket(2, (name) => step("When", `the application closes "${name}"`)),
    {
      weight: 1,
      arbitrary: fc.tuple(which, fc.constantFrom(1, 8)).map(([i, size]): Planned => (names) => {
        const name = pick(names.sockets, i);
        return name ? step("When", `"${name}" sends ${size} bytes`) : null;
      }),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(...(has("virtual-clock") ? ["the network settles", "30 seconds pass"] : ["the network settles"])).map((text): Planned => () => step("When", text)),
    },
    // Probes: explore's own looks, printed as Then lines.
    onSocket(2, (name) => ({ probe: "select", name })),
    {
      weight: 2,
      arbitrary: fc.tuple(which, fc.constantFrom(...events)).map(([i, event]): Planned => (names) => {
        const name = pick(names.sockets, i);
        return name ? { probe: "events", name, event } : null;
      }),
    },
    onSocket(1, (name) => ({ probe: "recv", name })),
    { weight: 2, arbitrary: fc.constant<Planned>((names) => (names.joined ? { probe: "callee" } : null)) },
  ];
  if (has("session-members") || has("scripted-peers")) {
    arbs.push(onPeer(1, (peer) => step("When", `peer "${peer}" sends 5 bytes`)));
    arbs.push(onPeer(2, (peer) => ({ probe: "peer", peer })));
  }
  if (has("scripted-peers")) {
    arbs.push(onPeer(1, (peer) => step("When", `peer "${peer}" leaves`)));
    if (rooted) {
      arbs.push({
        weight: 2,
        arbitrary: fc.tuple(which, which, fc.boolean()).map(([i, j, data]): Planned => (names) => {
          const peer = pick(names.peers, i);
          const root = pick(names.sockets, j);
          return peer && root ? step("When", `peer "${peer}" asks to join "${root}"${data ? " with 8 bytes of caller data" : ""}`) : null;
        }),
      });
      arbs.push({
        weight: 2,
        arbitrary: fc.tuple(which, fc.constantFrom("accept", "WSAAccept", "WSAAccept with data")).map(([i, how]): Planned => (names) => {
          const name = pick(names.sockets, i);
          const as = fresh(SOCKET_NAMES, names);
          if (!name || !as) return null;
          if (how === "accept") return step("When", `"${name}" accepts the waiting leaf as "${as}"`);
          if (how === "WSAAccept") return step("When", `"${name}" admits the waiting leaf with WSAAccept as "${as}"`);
          return step("When", `"${name}" admits the waiting leaf with WSAAccept answering with 8 bytes of callee data`);
        }),
      });
      arbs.push(onSocket(1, (name) => step("When", `"${name}" rejects the waiting leaf with WSAAccept`)));
    }
  }
  if (has("network-down")) arbs.push({ weight: 1, arbitrary: fc.constant<Planned>(() => step("Given", "the network subsystem has failed")) });
  return arbs;
}
