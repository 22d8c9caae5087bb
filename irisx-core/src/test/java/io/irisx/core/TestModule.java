package io.irisx.core;

import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import java.util.function.Consumer;

/** A module that does in {@code install} what its test gives it. */
record TestModule(String name, Consumer<ModuleContext> onInstall) implements IrisxModule {

    @Override
    public void install(ModuleContext context) {
        onInstall.accept(context);
    }
}
