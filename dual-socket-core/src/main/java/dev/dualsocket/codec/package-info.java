/**
 * Turning payload objects into bytes and back: {@code byte[]} and {@code String} as they are, other types through
 * Jackson (the JSON mapper Spring Boot auto-configures), or a codec of the application's own.
 */
@NullMarked
package dev.dualsocket.codec;

import org.jspecify.annotations.NullMarked;
