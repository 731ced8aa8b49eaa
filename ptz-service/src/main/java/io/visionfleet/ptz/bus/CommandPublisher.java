package io.visionfleet.ptz.bus;

import io.visionfleet.common.bus.BusPublisher;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.messages.PtzCommand;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Consumer;

/** Every camera command and state report goes to {@code ptz_commands_exchange}. */
@ApplicationScoped
public class CommandPublisher implements Consumer<PtzCommand> {
    private final BusPublisher bus;

    public CommandPublisher(BusPublisher bus) {
        this.bus = bus;
    }

    @Override
    public void accept(PtzCommand command) {
        bus.publish(Exchanges.PTZ_COMMANDS, command.streamId(), command);
    }
}
