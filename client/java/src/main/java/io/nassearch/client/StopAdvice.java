package io.nassearch.client;

/**
 * The answer to {@link NasClient#reportIntermediate}: whether to stop training, why, and the trial
 * as recorded (STOPPED with the reported value when {@code shouldStop}).
 */
public record StopAdvice(boolean shouldStop, String reason, Trial trial) {}
