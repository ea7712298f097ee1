package dev.dualsocket.autoconfigure;

import java.util.Map;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.autoconfigure.DualSocketProperties.Endpoint;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link DualSocketEndpoint} bean per entry under {@code dual-socket.endpoints}, named
 * {@code <name>DualSocketEndpoint} and qualified with the endpoint's name, so that
 * {@code @Qualifier("exchange") DualSocketEndpoint exchange} injects the endpoint called {@code exchange}. A bean the
 * application defines under that name takes its place. A {@code dual-socket.*} key that binds to nothing fails first,
 * with {@link UnknownDualSocketPropertyException}.
 */
class DualSocketEndpointRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	static final String FACTORY_BEAN_NAME = "dualSocketEndpointFactory";

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		// Before the endpoints are read: a misspelled key would otherwise show as a missing value, or not at all.
		UnknownDualSocketProperties.check(this.environment);
		Map<String, Endpoint> endpoints = Binder.get(this.environment)
			.bind("dual-socket.endpoints", Bindable.mapOf(String.class, Endpoint.class))
			.orElse(Map.of());
		endpoints.forEach((name, endpoint) -> {
			String beanName = beanName(name);
			if (registry.containsBeanDefinition(beanName)) {
				return;
			}
			RootBeanDefinition definition = new RootBeanDefinition(typeOf(endpoint.getRole()));
			definition.setFactoryBeanName(FACTORY_BEAN_NAME);
			definition.setFactoryMethodName("create");
			definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			definition.setDescription("dual-socket endpoint '" + name + "' from dual-socket.endpoints." + name);
			registry.registerBeanDefinition(beanName, definition);
		});
	}

	static String beanName(String endpointName) {
		return endpointName + "DualSocketEndpoint";
	}

	private static Class<?> typeOf(EndpointRole role) {
		if (role == null) {
			return DualSocketEndpoint.class;
		}
		return (role == EndpointRole.CLIENT) ? ClientEndpoint.class : ServerEndpoint.class;
	}

}
