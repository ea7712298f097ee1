package dev.dualsocket.listener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.link.MessageTypes;
import dev.dualsocket.link.RequestHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * Answers requests by calling one {@link DualSocketListener} method: decodes the payload to the method's payload
 * parameter, passes the {@link IncomingRequest} where asked for, and encodes what the method returns, or what the
 * future it returns completes with. A failure goes to the {@link DualSocketListenerErrorHandler}.
 */
final class ListenerMethodHandler implements RequestHandler {

	private final Object bean;

	private final Method method;

	private final PayloadCodec codec;

	private final DualSocketListenerErrorHandler errors;

	private final int payloadIndex;

	private final Type payloadType;

	private final boolean answersLater;

	private final String description;

	private final boolean blocking;

	ListenerMethodHandler(Object bean, Method method, PayloadCodec codec, DualSocketListenerErrorHandler errors,
			boolean blocking) {
		this.blocking = blocking;
		this.bean = bean;
		this.method = method;
		this.codec = codec;
		this.errors = errors;
		this.description = describe(method);
		this.payloadIndex = payloadIndex(method);
		this.payloadType = (this.payloadIndex >= 0) ? method.getGenericParameterTypes()[this.payloadIndex] : byte[].class;
		this.answersLater = CompletionStage.class.isAssignableFrom(method.getReturnType());
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public boolean isBlocking() {
		return this.blocking;
	}

	/**
	 * The message type the method answers by default: that of its payload parameter's class ({@link MessageTypes}).
	 * @return the type, or {@code null} for a method whose payload is {@code byte[]} or {@code String}, or that takes
	 * none
	 */
	@Nullable String defaultMessageType() {
		if (this.payloadIndex < 0) {
			return null;
		}
		Type type = this.payloadType;
		Class<?> raw = (type instanceof Class<?> plain) ? plain
				: (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> c) ? c
						: Object.class;
		return MessageTypes.of(raw);
	}

	String description() {
		return this.description;
	}

	@Override
	public byte[] handle(IncomingRequest request) throws Exception {
		return handleAsync(request).toCompletableFuture().get();
	}

	@Override
	public CompletionStage<byte[]> handleAsync(IncomingRequest request) {
		CompletionStage<?> result;
		try {
			result = invoke(request);
		}
		catch (Throwable ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		return result.handle((value, failure) -> (failure == null) ? CompletableFuture.completedFuture(value)
				: recover(request, failure))
			.thenCompose((stage) -> stage)
			.thenApply(this.codec::encode);
	}

	private CompletionStage<?> invoke(IncomingRequest request) throws Throwable {
		Object[] arguments = new Object[this.method.getParameterCount()];
		for (int i = 0; i < arguments.length; i++) {
			arguments[i] = (i == this.payloadIndex) ? this.codec.decode(request.payload(), this.payloadType) : request;
		}
		Object value;
		try {
			value = this.method.invoke(this.bean, arguments);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
		if (this.answersLater) {
			return (value != null) ? (CompletionStage<?>) value : CompletableFuture.completedFuture(null);
		}
		return CompletableFuture.completedFuture(value);
	}

	/** The error handler's answer to a failure: a value to answer with, or the exception it threw. */
	private CompletionStage<@Nullable Object> recover(IncomingRequest request, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		try {
			return CompletableFuture.completedFuture(
					this.errors.handleError(request, new ListenerExecutionFailedException(this.description, request, cause)));
		}
		catch (Throwable ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static int payloadIndex(Method method) {
		int found = -1;
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (types[i] == IncomingRequest.class) {
				continue;
			}
			if (found >= 0) {
				throw new DualSocketListenerException("@DualSocketListener method " + describe(method)
						+ " takes more than one payload parameter",
						"Give it one payload parameter (the request, decoded by the payload codec), and an "
								+ "IncomingRequest parameter if it needs the link id, request id or headers.");
			}
			found = i;
		}
		return found;
	}

	static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName();
	}

}
