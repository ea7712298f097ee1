package dev.dualsocket.listener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.link.RequestHandler;
import org.springframework.util.ReflectionUtils;

/**
 * Answers requests by calling a {@link DualSocketListener} method: decodes the payload to the method's payload
 * parameter, passes the {@link IncomingRequest} where asked for, and encodes what the method returns.
 */
final class ListenerMethodHandler implements RequestHandler {

	private final Object bean;

	private final Method method;

	private final PayloadCodec codec;

	private final int payloadIndex;

	private final Type payloadType;

	ListenerMethodHandler(Object bean, Method method, PayloadCodec codec) {
		this.bean = bean;
		this.method = method;
		this.codec = codec;
		int found = -1;
		Type[] types = method.getGenericParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (method.getParameterTypes()[i] == IncomingRequest.class) {
				continue;
			}
			if (found >= 0) {
				throw new IllegalStateException("@DualSocketListener method " + describe(method)
						+ " takes more than one payload parameter; it may take one, plus an IncomingRequest");
			}
			found = i;
		}
		this.payloadIndex = found;
		this.payloadType = (found >= 0) ? types[found] : byte[].class;
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public byte[] handle(IncomingRequest request) throws Exception {
		Object[] arguments = new Object[this.method.getParameterCount()];
		for (int i = 0; i < arguments.length; i++) {
			arguments[i] = (i == this.payloadIndex) ? this.codec.decode(request.payload(), this.payloadType) : request;
		}
		try {
			return this.codec.encode(this.method.invoke(this.bean, arguments));
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			throw ex;
		}
	}

	static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName();
	}

}
