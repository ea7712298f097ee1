package dev.dualsocket.test;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.dualsocket.transport.ProtocolViolationException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;

/**
 * What the fuzz tests of a connection's byte stream share: the stream cut into chunks of the fuzzer's choosing, the
 * rule that only a protocol violation may escape a pipeline, and a look at what a decoder holds. Needs
 * {@code com.code-intelligence:jazzer-junit} on the test class path (an optional dependency of this kit).
 */
public final class FuzzStreams {

	private static final Field CUMULATION;

	static {
		try {
			CUMULATION = ByteToMessageDecoder.class.getDeclaredField("cumulation");
			CUMULATION.setAccessible(true);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private FuzzStreams() {
	}

	/**
	 * The chunks of a stream: from the input's end, one byte per chunk giving its length (1 to 255; 0 counts as 1),
	 * the first chunk's first; the stream itself from the input's start. So a seed that feeds a stream {@code S} in one
	 * chunk is {@code S}, then the byte {@code len(S)}.
	 * @param data the fuzzer's input, after what the test consumed of it
	 * @return the chunks, none empty
	 */
	public static List<byte[]> chunks(FuzzedDataProvider data) {
		List<byte[]> chunks = new ArrayList<>();
		while (data.remainingBytes() > 0) {
			byte[] chunk = data.consumeBytes(data.consumeInt(1, 255));
			if (chunk.length > 0) {
				chunks.add(chunk);
			}
		}
		return chunks;
	}

	/**
	 * @param chunks chunks of a stream
	 * @return the stream
	 */
	public static byte[] concat(List<byte[]> chunks) {
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		chunks.forEach(stream::writeBytes);
		return stream.toByteArray();
	}

	/**
	 * Whether an exception is the one path a peer's bytes may take out of a pipeline: a protocol violation, itself or
	 * as the decoder wraps it, on which the endpoint closes that connection.
	 * @param ex what a pipeline threw
	 * @return whether it is a protocol violation
	 */
	public static boolean isProtocolViolation(Throwable ex) {
		return ex instanceof ProtocolViolationException
				|| (ex instanceof DecoderException && ex.getCause() instanceof ProtocolViolationException);
	}

	/**
	 * The bytes a decoder holds, not yet cut into a message.
	 * @param decoder the decoder
	 * @return how many
	 */
	public static int buffered(ByteToMessageDecoder decoder) {
		try {
			ByteBuf cumulation = (ByteBuf) CUMULATION.get(decoder);
			return (cumulation != null) ? cumulation.readableBytes() : 0;
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param bytes bytes
	 * @return them in hex, for an assertion's message
	 */
	public static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

}
