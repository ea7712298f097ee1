package dev.dualsocket.transport;

/**
 * The client's answer to a {@link HelloChallenge}: its proof that it holds the link's secret (section 4.5 of the
 * protocol).
 *
 * @param proof 32 bytes of HMAC-SHA256
 */
public record HelloProof(byte[] proof) {

	public HelloProof {
		if (proof.length != Authentication.PROOF_LENGTH) {
			throw new IllegalArgumentException(
					"a proof is " + Authentication.PROOF_LENGTH + " bytes, was " + proof.length);
		}
	}

	public Frame toFrame() {
		return new Frame(FrameType.HELLO_PROOF, 0, this.proof.clone());
	}

	/**
	 * Parses a HELLO_PROOF.
	 * @param frame a HELLO_PROOF frame
	 * @return the proof
	 * @throws ProtocolViolationException if its payload is not 32 bytes
	 */
	public static HelloProof fromFrame(Frame frame) {
		if (frame.payload().length != Authentication.PROOF_LENGTH) {
			throw new ProtocolViolationException("HELLO_PROOF must be " + Authentication.PROOF_LENGTH + " bytes, was "
					+ frame.payload().length);
		}
		return new HelloProof(frame.payload());
	}

	@Override
	public String toString() {
		return "HelloProof";
	}

}
