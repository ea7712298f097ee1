package dev.dualsocket.smpp;

import java.lang.reflect.Type;

import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.codec.PayloadCodecException;
import org.jsmpp.PDUStringException;
import org.jsmpp.bean.AbstractSmRespCommand;
import org.jsmpp.bean.Command;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DataSmResp;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliverSmResp;
import org.jsmpp.bean.MessageRequest;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.SubmitSmResp;
import org.jsmpp.util.DefaultComposer;
import org.jsmpp.util.DefaultDecomposer;
import org.jsmpp.util.PDUComposer;
import org.jsmpp.util.PDUDecomposer;
import org.jspecify.annotations.Nullable;

/**
 * The payload codec of SMPP links: a payload is one whole PDU, composed from and read into jSMPP's beans
 * ({@link SubmitSm}, {@link SubmitSmResp}, {@link DeliverSm}, {@link DeliverSmResp}, {@link DataSm},
 * {@link DataSmResp}) by jSMPP's {@link DefaultComposer} and {@link DefaultDecomposer}. {@code byte[]} goes as it is;
 * any PDU decodes to {@link Command}, its header alone.
 *
 * <p>An encoded PDU carries sequence_number 0 and the bean's command_status; the binding sets the sequence number of
 * the connection it goes out on. A response bean with a non-zero command_status goes out as the header alone, as SMPP
 * 3.4 has it; a response that arrives so decodes to the bean with its status and no message id.
 */
public final class SmppPayloadCodec implements PayloadCodec {

	private final PDUComposer composer = new DefaultComposer();

	private final PDUDecomposer decomposer = new DefaultDecomposer();

	@Override
	public byte[] encode(@Nullable Object value) {
		if (value == null) {
			return new byte[0];
		}
		if (value instanceof byte[] bytes) {
			return bytes;
		}
		try {
			if (value instanceof SubmitSm submit) {
				return this.composer.submitSm(0, text(submit.getServiceType()), submit.getSourceAddrTon(),
						submit.getSourceAddrNpi(), text(submit.getSourceAddr()), submit.getDestAddrTon(),
						submit.getDestAddrNpi(), text(submit.getDestAddress()), submit.getEsmClass(),
						submit.getProtocolId(), submit.getPriorityFlag(), text(submit.getScheduleDeliveryTime()),
						text(submit.getValidityPeriod()), submit.getRegisteredDelivery(), submit.getReplaceIfPresent(),
						submit.getDataCoding(), submit.getSmDefaultMsgId(), message(submit), optional(submit));
			}
			if (value instanceof DeliverSm deliver) {
				return this.composer.deliverSm(0, text(deliver.getServiceType()), deliver.getSourceAddrTon(),
						deliver.getSourceAddrNpi(), text(deliver.getSourceAddr()), deliver.getDestAddrTon(),
						deliver.getDestAddrNpi(), text(deliver.getDestAddress()), deliver.getEsmClass(),
						deliver.getProtocolId(), deliver.getPriorityFlag(), deliver.getRegisteredDelivery(),
						deliver.getDataCoding(), message(deliver), optional(deliver));
			}
			if (value instanceof DataSm data) {
				return this.composer.dataSm(0, text(data.getServiceType()), data.getSourceAddrTon(),
						data.getSourceAddrNpi(), text(data.getSourceAddr()), data.getDestAddrTon(), data.getDestAddrNpi(),
						text(data.getDestAddress()), data.getEsmClass(), data.getRegisteredDelivery(),
						data.getDataCoding(), optional(data.getOptionalParameters()));
			}
			if (value instanceof AbstractSmRespCommand response) {
				int commandId = responseId(response);
				if (response.getCommandStatus() != Pdus.ESME_ROK) {
					return Pdus.header(commandId, response.getCommandStatus(), 0);
				}
				String messageId = text(response.getMessageId());
				return switch (commandId) {
					case Pdus.SUBMIT_SM | Pdus.RESPONSE_BIT -> this.composer.submitSmResp(0, messageId,
							optional(response.getOptionalParameters()));
					case Pdus.DELIVER_SM | Pdus.RESPONSE_BIT -> this.composer.deliverSmResp(0, 0, messageId);
					default -> this.composer.dataSmResp(0, messageId, optional(response.getOptionalParameters()));
				};
			}
		}
		catch (PDUStringException ex) {
			throw new PayloadCodecException("cannot encode " + value.getClass().getSimpleName() + " as an SMPP PDU: "
					+ ex.getMessage(), ex);
		}
		throw new PayloadCodecException("the SMPP payload codec encodes byte[], SubmitSm, DeliverSm, DataSm, "
				+ "SubmitSmResp, DeliverSmResp and DataSmResp; not " + value.getClass().getName());
	}

	@Override
	public @Nullable Object decode(byte[] bytes, Type type) {
		if (type == byte[].class) {
			return bytes;
		}
		String wrong = Pdus.notWhole(bytes);
		if (wrong != null) {
			throw new PayloadCodecException("the payload is not one whole SMPP PDU: " + wrong);
		}
		int commandId = Pdus.commandId(bytes);
		try {
			if (type == Command.class) {
				return this.decomposer.header(bytes);
			}
			if (type == SubmitSm.class) {
				expect(bytes, Pdus.SUBMIT_SM, type);
				return this.decomposer.submitSm(bytes);
			}
			if (type == DeliverSm.class) {
				expect(bytes, Pdus.DELIVER_SM, type);
				return this.decomposer.deliverSm(bytes);
			}
			if (type == DataSm.class) {
				expect(bytes, Pdus.DATA_SM, type);
				return this.decomposer.dataSm(bytes);
			}
			if (type == SubmitSmResp.class) {
				expect(bytes, Pdus.SUBMIT_SM | Pdus.RESPONSE_BIT, type);
				return headerOnly(bytes) ? respHeader(new SubmitSmResp(), bytes) : this.decomposer.submitSmResp(bytes);
			}
			if (type == DeliverSmResp.class) {
				expect(bytes, Pdus.DELIVER_SM | Pdus.RESPONSE_BIT, type);
				return headerOnly(bytes) ? respHeader(new DeliverSmResp(), bytes) : this.decomposer.deliverSmResp(bytes);
			}
			if (type == DataSmResp.class) {
				expect(bytes, Pdus.DATA_SM | Pdus.RESPONSE_BIT, type);
				return headerOnly(bytes) ? respHeader(new DataSmResp(), bytes) : this.decomposer.dataSmResp(bytes);
			}
		}
		catch (PDUStringException | RuntimeException ex) {
			if (ex instanceof PayloadCodecException codec) {
				throw codec;
			}
			throw new PayloadCodecException("cannot read " + Pdus.commandName(commandId) + " as " + type.getTypeName()
					+ ": " + ex.getMessage(), ex);
		}
		throw new PayloadCodecException("the SMPP payload codec decodes to byte[], Command, SubmitSm, DeliverSm, "
				+ "DataSm, SubmitSmResp, DeliverSmResp and DataSmResp; not " + type.getTypeName());
	}

	private static void expect(byte[] pdu, int commandId, Type type) {
		if (Pdus.commandId(pdu) != commandId) {
			throw new PayloadCodecException("cannot read " + Pdus.commandName(Pdus.commandId(pdu)) + " (" 
					+ Pdus.statusName(Pdus.commandStatus(pdu)) + ") as " + type.getTypeName() + ", which is "
					+ Pdus.commandName(commandId));
		}
	}

	private static boolean headerOnly(byte[] pdu) {
		return pdu.length == Pdus.HEADER_LENGTH;
	}

	private static <T extends Command> T respHeader(T response, byte[] pdu) {
		response.setCommandLength(pdu.length);
		response.setCommandId(Pdus.commandId(pdu));
		response.setCommandStatus(Pdus.commandStatus(pdu));
		response.setSequenceNumber(Pdus.sequenceNumber(pdu));
		return response;
	}

	private static int responseId(AbstractSmRespCommand response) {
		if (response instanceof SubmitSmResp) {
			return Pdus.SUBMIT_SM | Pdus.RESPONSE_BIT;
		}
		if (response instanceof DeliverSmResp) {
			return Pdus.DELIVER_SM | Pdus.RESPONSE_BIT;
		}
		if (response instanceof DataSmResp) {
			return Pdus.DATA_SM | Pdus.RESPONSE_BIT;
		}
		throw new PayloadCodecException("the SMPP payload codec encodes SubmitSmResp, DeliverSmResp and DataSmResp; "
				+ "not " + response.getClass().getName());
	}

	private static String text(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private static byte[] message(MessageRequest request) {
		byte[] message = request.getShortMessage();
		return (message != null) ? message : new byte[0];
	}

	private static OptionalParameter[] optional(org.jsmpp.bean.AbstractSmCommand command) {
		return optional(command.getOptionalParameters());
	}

	private static OptionalParameter[] optional(OptionalParameter @Nullable [] parameters) {
		return (parameters != null) ? parameters : new OptionalParameter[0];
	}

}
