package io.nassearch.coordinator.server.security;

import io.grpc.Context;

/**
 * Who makes a call: the name of its bearer token (or, with mutual TLS and no tokens, its client
 * certificate's subject) and its role. Searches belong to the caller that created them.
 *
 * @param name the identity searches are owned by; never a secret
 * @param role what the caller may do; {@link Role#ADMIN} sees and changes every search
 */
public record Caller(String name, Role role) {
  /** The caller of the current call; null without auth (single-user mode). */
  public static final Context.Key<Caller> KEY = Context.key("nas-caller");

  public static Caller current() {
    return KEY.get();
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }
}
