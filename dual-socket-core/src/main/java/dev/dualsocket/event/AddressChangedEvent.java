package dev.dualsocket.event;

import java.time.Instant;

/**
 * A client moved its link to another of its addresses (seed 004): to a standby when the address it used was lost, or
 * back to the primary once the primary had answered for {@code failback.stable-for}. The link is established anew at
 * the new address.
 */
public class AddressChangedEvent extends DualSocketEvent {

	private final String from;

	private final String to;

	private final boolean primary;

	private final String reason;

	public AddressChangedEvent(String endpoint, String linkId, String from, String to, boolean primary, String reason,
			Instant time) {
		super(endpoint, linkId, time);
		this.from = from;
		this.to = to;
		this.primary = primary;
		this.reason = reason;
	}

	/** @return the address the link used, {@code host:port} */
	public String getFrom() {
		return this.from;
	}

	/** @return the address the link moves to, {@code host:port} */
	public String getTo() {
		return this.to;
	}

	/** @return whether the new address is the primary one */
	public boolean isPrimary() {
		return this.primary;
	}

	/** @return why the link moved */
	public String getReason() {
		return this.reason;
	}

	@Override
	public String toString() {
		return "AddressChangedEvent[" + getEndpoint() + "/" + getLinkId() + " " + this.from + " -> " + this.to
				+ (this.primary ? " (primary)" : "") + ": " + this.reason + "]";
	}

}
