package io.visionfleet.ptz.bus;

import io.visionfleet.common.bus.BusPublisher;
import io.visionfleet.common.bus.ExchangeEmitter;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.messages.PtzCommand;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.util.function.Consumer;

/** Every camera command and state report goes to {@code ptz_commands_exchange}. */
@ApplicationScoped
public class CommandPublisher implements Consumer<PtzCommand> {
    private final BusPublisher bus;
    private final ExchangeEmitter commands;

    public CommandPublisher(BusPublisher bus, @Channel(Exchanges.PTZ_COMMANDS) Emitter<byte[]> commands) {
        this.bus = bus;
        this.commands = new ExchangeEmitter(Exchanges.PTZ_COMMANDS, commands);
    }

    @Override
    public void accept(PtzCommand command) {
        bus.publish(commands, command);
    }
}
