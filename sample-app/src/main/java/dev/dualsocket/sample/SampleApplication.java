package dev.dualsocket.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A service with two dual-socket endpoints linked over 127.0.0.1: the server endpoint {@code desk} (profile
 * {@code server}) and the client endpoint {@code exchange} (profile {@code client}). Both profiles are active by
 * default, so one JVM runs both ends of the link; activate one profile per process to run them apart.
 *
 * <p>Every second each side sends the other a request ({@link ClientSide}, {@link ServerSide}); {@link LinkEvents}
 * logs what happens to the link; {@link DemoController} cuts a socket on request so that the recovery can be watched.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
