package dev.dualsocket;

/**
 * Why a socket failed: the kind of failure and what was seen.
 *
 * @param cause the kind of failure
 * @param detail what was seen, for example {@code "Connection reset by peer"}
 */
public record SocketFailure(FailureCause cause, String detail) {

	@Override
	public String toString() {
		return this.detail.isEmpty() ? this.cause.label() : this.cause.label() + ": " + this.detail;
	}

}
