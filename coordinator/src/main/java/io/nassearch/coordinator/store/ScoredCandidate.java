package io.nassearch.coordinator.store;

/** An architecture (canonical string) and its surrogate score, as stored with a search. */
public record ScoredCandidate(String architecture, double score) {}
