package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Lines of the control protocol to and from typed messages (Jackson). Both ends use it: the
 * VMM decodes requests and encodes replies and events, the client the other way round.
 * Decoding errors are {@link ProtocolException}s whose message is fit for a QMP error's "desc".
 */
public final class ProtocolCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build())
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Map<String, Class<? extends Command<?>>> COMMANDS = Wire.byName(Command.ALL);
    private static final Map<String, Class<? extends Event>> EVENTS = Wire.byName(Event.ALL);

    private ProtocolCodec() { }

    /** A line that is not a valid message; errorClass is the QMP class to answer it with. */
    public static final class ProtocolException extends Exception {
        private final String errorClass;

        ProtocolException(String errorClass, String desc) {
            super(desc);
            this.errorClass = errorClass;
        }

        public String errorClass() {
            return errorClass;
        }
    }

    /** A request as read: its typed command, and the client's "id" to echo (null: none). */
    public record Request(Command<?> command, JsonNode id) { }

    /** What a client reads: a greeting, a command's return value, an error or an event. */
    public sealed interface Incoming {
        record Greeting(JsonNode qmp) implements Incoming { }
        record Return(JsonNode value) implements Incoming { }
        record Failure(ErrorInfo error) implements Incoming { }
        record Notification(Event event, long seconds, long microseconds) implements Incoming { }
    }

    // ---------------------------------------------------------------- client side

    /** {"execute": NAME[, "arguments": {...}]}: arguments only for a command that has some. */
    public static String request(Command<?> command) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("execute", command.execute());
        JsonNode args = MAPPER.valueToTree(command);
        if (args instanceof ObjectNode o && !o.isEmpty()) m.set("arguments", o);
        return write(m);
    }

    public static Incoming incoming(String line) throws ProtocolException {
        JsonNode m = object(line);
        if (m.has("QMP")) return new Incoming.Greeting(m.get("QMP"));
        if (m.has("error")) return new Incoming.Failure(convert(m.get("error"), ErrorInfo.class));
        if (m.has("event")) return new Incoming.Notification(event(m.get("event").asText(), m.get("data")),
                m.path("timestamp").path("seconds").asLong(), m.path("timestamp").path("microseconds").asLong());
        if (m.has("return")) return new Incoming.Return(m.get("return"));
        throw new ProtocolException(ErrorInfo.GENERIC, "not a control protocol message");
    }

    /** A command's "return" value as its reply type. */
    public static <R> R returnValue(Command<R> command, JsonNode value) throws ProtocolException {
        return convert(value, command.replyType());
    }

    private static Event event(String name, JsonNode data) throws ProtocolException {
        Class<? extends Event> type = EVENTS.get(name);
        if (type == null) return new Event.Other(name);
        return convert(data == null || data.isNull() ? JsonNodeFactory.instance.objectNode() : data, type);
    }

    // ---------------------------------------------------------------- server side

    public static Request decodeRequest(String line) throws ProtocolException {
        JsonNode m = object(line);
        JsonNode id = m.get("id");
        JsonNode execute = m.get("execute");
        if (execute == null || !execute.isTextual()) throw new ProtocolException(ErrorInfo.GENERIC, "missing 'execute'");
        String name = execute.asText();
        Class<? extends Command<?>> type = COMMANDS.get(name);
        if (type == null) throw new ProtocolException(ErrorInfo.COMMAND_NOT_FOUND, "The command " + name + " has not been found");
        JsonNode args = m.get("arguments");
        if (args == null || args.isNull()) args = JsonNodeFactory.instance.objectNode();
        if (!args.isObject()) throw new ProtocolException(ErrorInfo.GENERIC, "'arguments' must be an object");
        return new Request(convert(args, type), id);
    }

    /** The greeting the VMM sends first. */
    public static String greeting() {
        return write(Map.of("QMP", Map.of(
                "version", Map.of("package", "jvirt", "qemu", Map.of("major", 0, "minor", 1, "micro", 0)),
                "capabilities", java.util.List.of())));
    }

    public static String returnLine(Object value, JsonNode id) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.set("return", MAPPER.valueToTree(value));
        if (id != null) m.set("id", id);
        return write(m);
    }

    public static String errorLine(ErrorInfo error, JsonNode id) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.set("error", MAPPER.valueToTree(error));
        if (id != null) m.set("id", id);
        return write(m);
    }

    /** {"event": NAME[, "data": {...}], "timestamp": {"seconds", "microseconds"}}. */
    public static String eventLine(Event event, long epochMillis) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("event", event.event());
        JsonNode data = MAPPER.valueToTree(event);
        if (data instanceof ObjectNode o && !o.isEmpty()) m.set("data", o);
        ObjectNode ts = m.putObject("timestamp");
        ts.put("seconds", epochMillis / 1000);
        ts.put("microseconds", (epochMillis % 1000) * 1000);
        return write(m);
    }

    // ---------------------------------------------------------------- both

    private static JsonNode object(String line) throws ProtocolException {
        JsonNode m;
        try {
            m = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorInfo.GENERIC, "invalid JSON: " + e.getOriginalMessage());
        }
        if (m == null || !m.isObject()) throw new ProtocolException(ErrorInfo.GENERIC, "expected a JSON object");
        return m;
    }

    private static <T> T convert(JsonNode node, Class<T> type) throws ProtocolException {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (ValueInstantiationException e) {
            // a record's own check (e.g. "jvirt-save needs an absolute 'file'"): its message as is
            Throwable c = e.getCause();
            throw new ProtocolException(ErrorInfo.GENERIC, c != null && c.getMessage() != null ? c.getMessage() : e.getOriginalMessage());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProtocolException(ErrorInfo.GENERIC, "invalid " + type.getSimpleName() + ": "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static String write(Object v) {
        try {
            return MAPPER.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + v.getClass().getSimpleName(), e);
        }
    }
}
