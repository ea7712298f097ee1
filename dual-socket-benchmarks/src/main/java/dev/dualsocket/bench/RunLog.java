package dev.dualsocket.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a child JVM of the restart case did, as (kind, number) records appended to a file. Each record is one
 * {@code write} call made before the handler's answer leaves or the caller moves on, so it is in the kernel, and
 * survives the SIGKILL of the writer, by the time anyone could see its effect; buffered standard output would not.
 */
final class RunLog implements AutoCloseable {

	/** The handler ran the request with this number. */
	static final byte RAN = 'R';

	/** The caller is about to send the request with this number. */
	static final byte SENT = 'S';

	static final int RECORD = 9;

	private final FileChannel channel;

	RunLog(Path file) throws IOException {
		this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND);
	}

	void append(byte kind, long number) {
		ByteBuffer record = ByteBuffer.allocate(RECORD).put(kind).putLong(number).flip();
		try {
			while (record.hasRemaining()) {
				this.channel.write(record);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Receives the records of a file in order. */
	interface Reader {

		void record(byte kind, long number);

	}

	/** Reads every whole record; a torn last record (there should be none) is ignored. */
	static void read(Path file, Reader reader) throws IOException {
		ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
		while (all.remaining() >= RECORD) {
			reader.record(all.get(), all.getLong());
		}
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

}
