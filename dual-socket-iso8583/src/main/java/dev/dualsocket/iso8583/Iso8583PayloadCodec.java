package dev.dualsocket.iso8583;

import java.lang.reflect.Type;

import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.codec.PayloadCodecException;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOPackager;
import org.jspecify.annotations.Nullable;

/**
 * Turns jPOS {@link ISOMsg}s into the packed bytes of a frame's payload and back, with the endpoint's packager, so
 * that {@code request(isoMsg, ISOMsg.class)} and listener methods that take and return an {@code ISOMsg} work. A
 * {@code byte[]} passes as it is (already packed).
 */
public final class Iso8583PayloadCodec implements PayloadCodec {

	private final ISOPackager packager;

	/**
	 * @param packager packs and unpacks the messages
	 */
	public Iso8583PayloadCodec(ISOPackager packager) {
		this.packager = packager;
	}

	@Override
	public byte[] encode(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return bytes;
		}
		if (!(value instanceof ISOMsg message)) {
			throw new PayloadCodecException("an ISO 8583 endpoint sends ISOMsg or packed bytes, not "
					+ ((value != null) ? value.getClass().getName() : "null"));
		}
		try {
			return pack(this.packager, message);
		}
		catch (ISOException | RuntimeException ex) {
			throw new PayloadCodecException("cannot pack ISO 8583 message " + mtiOf(message) + " with "
					+ this.packager.getClass().getSimpleName() + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public @Nullable Object decode(byte[] bytes, Type type) {
		if (type == byte[].class) {
			return bytes;
		}
		if (type != ISOMsg.class && type != Object.class) {
			throw new PayloadCodecException(
					"an ISO 8583 endpoint decodes payloads as ISOMsg or byte[], not " + type.getTypeName());
		}
		try {
			return unpack(this.packager, bytes);
		}
		catch (ISOException | RuntimeException ex) {
			throw new PayloadCodecException("cannot unpack " + bytes.length + " bytes as an ISO 8583 message with "
					+ this.packager.getClass().getSimpleName() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Packs a message with its bitmap made for the fields it holds (a packager alone packs the bitmap as it finds it),
	 * leaving the message as it was.
	 */
	static byte[] pack(ISOPackager packager, ISOMsg message) throws ISOException {
		ISOMsg copy = (ISOMsg) message.clone();
		copy.recalcBitMap();
		return packager.pack(copy);
	}

	/**
	 * Unpacks a whole message: bytes left over after it are an error, not ignored.
	 */
	static ISOMsg unpack(ISOPackager packager, byte[] bytes) throws ISOException {
		ISOMsg message = new ISOMsg();
		message.setPackager(packager);
		int consumed = packager.unpack(message, bytes);
		if (consumed != bytes.length) {
			throw new ISOException((bytes.length - consumed) + " bytes follow the message's last field");
		}
		return message;
	}

	private static String mtiOf(ISOMsg message) {
		try {
			return message.getMTI();
		}
		catch (ISOException ex) {
			return "(without MTI)";
		}
	}

}
