/**
 * Small internals the engine's packages share. Not an API: anything here may change in any release.
 */
@NullMarked
package dev.dualsocket.support;

import org.jspecify.annotations.NullMarked;
