package dev.dualsocket.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.link.DualSocketLink;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cuts one socket of a link, as a network fault would, so that the recovery can be watched in the log and in
 * {@code /actuator/health}:
 *
 * <pre>
 * curl -X POST 'localhost:8080/demo/cut?socket=inbound'
 * curl -X POST 'localhost:8080/demo/cut?socket=outbound&amp;endpoint=desk&amp;link=sample-1'
 * </pre>
 *
 * Without {@code endpoint} the client endpoint is used (the only endpoint in a process that runs one); without
 * {@code link} the endpoint's only link.
 */
@RestController
public class DemoController {

	private final DualSocketEndpointRegistry endpoints;

	public DemoController(DualSocketEndpointRegistry endpoints) {
		this.endpoints = endpoints;
	}

	@PostMapping("/demo/cut")
	ResponseEntity<Map<String, Object>> cut(@RequestParam String socket,
			@RequestParam(required = false) String endpoint, @RequestParam(required = false) String link) {
		SocketRole role;
		try {
			role = SocketRole.valueOf(socket.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return error(HttpStatus.BAD_REQUEST, "socket must be 'inbound' or 'outbound', not '" + socket + "'");
		}
		DualSocketEndpoint target;
		try {
			target = (endpoint != null) ? this.endpoints.get(endpoint) : defaultEndpoint();
		}
		catch (IllegalArgumentException ex) {
			return error(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		if (target == null) {
			return error(HttpStatus.NOT_FOUND, "This process has no dual-socket endpoint");
		}
		List<String> linkIds = new ArrayList<>();
		target.links().forEach((candidate) -> linkIds.add(candidate.getId()));
		DualSocketLink chosen;
		if (link != null) {
			chosen = target.findLink(link).orElse(null);
		}
		else {
			chosen = (target.links().size() == 1) ? target.links().iterator().next() : null;
		}
		if (chosen == null) {
			return error(HttpStatus.BAD_REQUEST, "Name one of the links of endpoint '" + target.getName()
					+ "' with link=...; it has " + linkIds);
		}
		String name = target.getName() + "/" + chosen.getId();
		if (!chosen.dropSocket(role)) {
			return error(HttpStatus.CONFLICT, "The " + role.label() + " socket of " + name
					+ " has no connection to cut; the link is " + chosen.getState());
		}
		RecoveryProcedure here = RecoveryProcedure.forFailure(target.getRole(), role);
		EndpointRole peerRole = (target.getRole() == EndpointRole.CLIENT) ? EndpointRole.SERVER : EndpointRole.CLIENT;
		RecoveryProcedure there = RecoveryProcedure.forFailure(peerRole, role.other());
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("cut", role.label());
		body.put("endpoint", target.getName());
		body.put("link", chosen.getId());
		body.put("procedure", here + " (" + here.figure() + ") on this side; the peer sees its " + role.other().label()
				+ " socket fail and runs " + there + " (" + there.figure() + ")");
		body.put("watch", "the log shows " + name + " going NORMAL -> RECOVERING -> NORMAL; "
				+ "GET /actuator/health shows the link's state and the socket's failures");
		return ResponseEntity.ok(body);
	}

	private DualSocketEndpoint defaultEndpoint() {
		List<DualSocketEndpoint> all = this.endpoints.all();
		return all.stream()
			.filter((candidate) -> candidate.getRole() == EndpointRole.CLIENT)
			.findFirst()
			.orElse(all.isEmpty() ? null : all.get(0));
	}

	private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(Map.of("error", message));
	}

}
