package dev.dualsocket.listener;

/**
 * A {@link DualSocketListener} method is declared in a way that cannot work (it names no endpoint there is, two
 * listeners answer the same message type, it takes two payloads). Fails start-up; the failure analysis shows the
 * description and what to do.
 */
public class DualSocketListenerException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String action;

	/**
	 * @param description what is wrong, naming the methods
	 * @param action what to do about it
	 */
	public DualSocketListenerException(String description, String action) {
		super(description);
		this.action = action;
	}

	/**
	 * What to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
