// The step vocabulary's own parameter types. Each step is a Cucumber Expression; where a step
// takes one of a few words, the word is a parameter of its own type here (never an optional
// regex group, which reports show as an empty argument when it does not match).
import { defineParameterType } from "@cucumber/cucumber";
import { ERRORS, FD_BITS, FdEventName } from "../drivers/winsock";
import { sizeOf } from "./sizes";
import type { JoinLeafWorld } from "./world";

defineParameterType({ name: "role", regexp: /c_root|c_leaf/, transformer: (s) => s as "c_root" | "c_leaf" });

defineParameterType({
  name: "registration",
  regexp: /WSAEventSelect|WSAAsyncSelect/,
  transformer: (s) => (s === "WSAEventSelect" ? "event-select" : "async-select"),
});

/** One network event: FD_CONNECT, FD_CLOSE, ... */
defineParameterType({ name: "event", regexp: /FD_[A-Z_]+/, transformer: (s) => fdEvent(s) });

/** "FD_CONNECT", "FD_CONNECT and FD_CLOSE", "FD_ACCEPT, FD_CONNECT and FD_CLOSE". */
defineParameterType({
  name: "events",
  regexp: /FD_[A-Z_]+(?:(?:, | and )FD_[A-Z_]+)*/,
  transformer: (s) => s.split(/, | and /).map(fdEvent),
});

/** An error code by its name, as the texts give it (WSAEFAULT, WSANOTINITIALISED, ...). */
defineParameterType({
  name: "error",
  regexp: /WSA[A-Z_]+/,
  transformer: (s) => {
    if (!(s in ERRORS)) throw new Error(`unknown error code "${s}"; known: ${Object.keys(ERRORS).join(", ")}`);
    return s;
  },
});

/** How a scripted peer answers a join request. */
defineParameterType({
  name: "answer",
  regexp: /accepts joins|refuses joins|never answers/,
  transformer: (s) => (s === "accepts joins" ? "accept" : s === "refuses joins" ? "refuse" : "silent") as "accept" | "refuse" | "silent",
});

/** The three sets select answers about. */
defineParameterType({
  name: "selectSet",
  regexp: /readable|writable|in error/,
  transformer: (s) => (s === "in error" ? "inError" : s) as "readable" | "writable" | "inError",
});

/**
 * A number of bytes of user data: "12 bytes", or a size from the protocol entry under test, so no
 * scenario needs more connect data than the provider carries: "maxConnectData bytes" (the entry's
 * maximum) or "maxConnectData/2 bytes" (half of it, rounded down).
 */
defineParameterType({
  name: "size",
  regexp: /(?:\d+|maxConnectData(?:\/2)?) bytes?/,
  transformer: function (this: JoinLeafWorld, s: string) {
    return sizeOf(s, this.protocol.maxConnectData);
  },
});


export function fdEvent(name: string): FdEventName {
  if (!(name in FD_BITS)) throw new Error(`unknown network event "${name}"; known: ${Object.keys(FD_BITS).join(", ")}`);
  return name as FdEventName;
}
