/**
 * The fault suite (docs/reliability.md): each test runs the packaged services as child processes
 * ({@code io.visionfleet.common.testing.ServiceProcess}, {@code RelayProcess}) against the real broker and breaks
 * something for real: the broker, a service, the disk, a sender, the input.
 */
package io.visionfleet.faults;
