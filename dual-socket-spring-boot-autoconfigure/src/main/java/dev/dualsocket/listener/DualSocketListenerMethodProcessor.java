package dev.dualsocket.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.endpoint.DualSocketEndpoint;
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
 * endpoints start), makes each the request handler of its endpoint. An unknown endpoint name, or two methods for one
 * endpoint, fail start-up with a message that names them.
 */
public class DualSocketListenerMethodProcessor implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

	private final List<Found> found = new ArrayList<>();

	private BeanFactory beanFactory;

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
		methods.forEach((method, annotation) -> this.found
			.add(new Found(bean, AopUtils.selectInvocableMethod(method, bean.getClass()), annotation.value())));
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.found.isEmpty()) {
			return;
		}
		DualSocketEndpointRegistry registry = this.beanFactory.getBean(DualSocketEndpointRegistry.class);
		PayloadCodec codec = this.beanFactory.getBean(PayloadCodec.class);
		Map<String, Found> byEndpoint = new HashMap<>();
		for (Found listener : this.found) {
			DualSocketEndpoint endpoint = registry.find(listener.endpoint).orElseThrow(() -> new IllegalStateException(
					"@DualSocketListener(\"" + listener.endpoint + "\") on " + ListenerMethodHandler.describe(listener.method)
							+ " names no endpoint; the endpoints are " + registry.names()));
			Found other = byEndpoint.putIfAbsent(listener.endpoint, listener);
			if (other != null) {
				throw new IllegalStateException("Endpoint '" + listener.endpoint + "' has two @DualSocketListener methods, "
						+ ListenerMethodHandler.describe(other.method) + " and "
						+ ListenerMethodHandler.describe(listener.method) + "; it takes one");
			}
			endpoint.setRequestHandler(new ListenerMethodHandler(listener.bean, listener.method, codec));
		}
		this.found.clear();
	}

	private record Found(Object bean, Method method, String endpoint) {
	}

}
