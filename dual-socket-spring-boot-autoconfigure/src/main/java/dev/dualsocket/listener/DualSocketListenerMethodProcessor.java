package dev.dualsocket.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.link.RequestHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds {@link DualSocketListener} methods on the application's beans and, once all singletons exist (before the
 * endpoints start), makes them the request handler of their endpoint: the one method, or a dispatcher by message type
 * for several. A listener mistake (an unknown endpoint, two listeners for one message type, two default listeners)
 * fails start-up with a {@link DualSocketListenerException}, shown in Description/Action form. A server endpoint left
 * without any handler is a WARN: its clients' requests would all be answered {@code NO_HANDLER}.
 */
public class DualSocketListenerMethodProcessor implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(DualSocketListenerMethodProcessor.class);

	private final List<Found> found = new ArrayList<>();

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = AopUtils.getTargetClass(bean);
		Map<Method, DualSocketListener> methods = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<DualSocketListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, DualSocketListener.class));
		methods.forEach((method, annotation) -> this.found.add(new Found(bean,
				AopUtils.selectInvocableMethod(method, bean.getClass()), annotation.value(), annotation.type(),
				annotation.blocking())));
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		BeanFactory beans = this.beanFactory;
		if (beans == null) {
			return;
		}
		DualSocketEndpointRegistry registry = beans.getBean(DualSocketEndpointRegistry.class);
		if (!this.found.isEmpty()) {
			DualSocketListenerErrorHandler errors = beans.getBean(DualSocketListenerErrorHandler.class);
			Map<String, List<Found>> byEndpoint = new LinkedHashMap<>();
			for (Found listener : this.found) {
				if (registry.find(listener.endpoint).isEmpty()) {
					throw new DualSocketListenerException("@DualSocketListener(\"" + listener.endpoint + "\") on "
							+ ListenerMethodHandler.describe(listener.method) + " names no endpoint; the endpoints are "
							+ registry.names(),
							"Name one of " + registry.names() + " in the annotation, or configure an endpoint '"
									+ listener.endpoint + "' under dual-socket.endpoints." + listener.endpoint + ".");
				}
				byEndpoint.computeIfAbsent(listener.endpoint, (name) -> new ArrayList<>()).add(listener);
			}
			// Each endpoint's own codec: the application's, or its protocol's (ISOMsg, SMPP PDUs).
			byEndpoint.forEach((name, listeners) -> {
				DualSocketEndpoint endpoint = registry.find(name).orElseThrow();
				endpoint.setRequestHandler(handlerOf(name, listeners, endpoint.getPayloadCodec(), errors));
			});
			this.found.clear();
		}
		for (DualSocketEndpoint endpoint : registry.all()) {
			if (endpoint.getRole() == EndpointRole.SERVER && !endpoint.hasRequestHandler()) {
				logger.warn("Endpoint '" + endpoint.getName() + "' is a server without a @DualSocketListener method or a "
						+ "request handler: every request its clients send will be answered NO_HANDLER. Add a "
						+ "@DualSocketListener(\"" + endpoint.getName() + "\") method, or call setRequestHandler(...) on "
						+ "the endpoint.");
			}
		}
	}

	private static RequestHandler handlerOf(String endpoint, List<Found> listeners, PayloadCodec codec,
			DualSocketListenerErrorHandler errors) {
		if (listeners.size() == 1) {
			// One listener answers every request, whatever message type it names.
			Found only = listeners.get(0);
			return new ListenerMethodHandler(only.bean, only.method, codec, errors, only.blocking);
		}
		Map<String, ListenerMethodHandler> byType = new LinkedHashMap<>();
		ListenerMethodHandler fallback = null;
		for (Found listener : listeners) {
			ListenerMethodHandler handler = new ListenerMethodHandler(listener.bean, listener.method, codec, errors,
					listener.blocking);
			String type = listener.type.isEmpty() ? handler.defaultMessageType() : listener.type;
			if (type == null) {
				if (fallback != null) {
					throw new DualSocketListenerException("Endpoint '" + endpoint + "' has two default listeners, "
							+ fallback.description() + " and " + handler.description()
							+ ": both take byte[] or String (or no payload) and name no message type",
							"Name the message type each answers with @DualSocketListener(value = \"" + endpoint
									+ "\", type = \"...\"), or keep one default listener.");
				}
				fallback = handler;
				continue;
			}
			ListenerMethodHandler other = byType.putIfAbsent(type, handler);
			if (other != null) {
				throw new DualSocketListenerException("Endpoint '" + endpoint + "' has two listeners for message type '"
						+ type + "': " + other.description() + " and " + handler.description(),
						"Give one of them another type with @DualSocketListener(value = \"" + endpoint
								+ "\", type = \"...\"), or remove one. A listener's type is by default the simple name of "
								+ "its payload parameter's class.");
			}
		}
		return new ListenerDispatcher(endpoint, byType, fallback);
	}

	private record Found(Object bean, Method method, String endpoint, String type, boolean blocking) {
	}

}
