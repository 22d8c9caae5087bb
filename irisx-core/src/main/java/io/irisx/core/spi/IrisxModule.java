package io.irisx.core.spi;

import io.irisx.core.TenantId;
import io.irisx.core.tenant.TenantSettings;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A module of IRISX installed into one runtime with {@link io.irisx.core.Irisx.Builder#install}: email, SMS,
 * webhooks. {@link #install} runs once, while the runtime is built, in the order the modules were given; through
 * its {@link ModuleContext} a module migrates its tables, adds the event sinks and health checks it brings, and
 * starts the workers it runs, which the runtime stops when it closes.
 *
 * <p>A host reaches an installed module's tenant-scoped API from a {@link io.irisx.core.Tenant}, through the
 * module's own entry point (such as {@code EmailClient.of(tenant)}), which finds the module with
 * {@link io.irisx.core.Tenant#module(Class)}. A module's public methods therefore take a {@code Tenant}, never a
 * bare tenant id, so that nothing reached from one tenant reads another's rows.
 *
 * <p>One instance is installed into one runtime: installing it again, here or into a second runtime, is refused.
 */
public interface IrisxModule {

    /** The module's name, as its tables' Flyway history and its log lines name it: {@code email}, {@code sms}. */
    String name();

    /**
     * Installs this module into the runtime being built. A module that fails throws; the runtime then closes what
     * it and the modules before it opened, and does not start.
     */
    void install(ModuleContext context);

    /**
     * Deletes every row this module keeps for {@code tenant}, on {@code connection}, in the transaction that deletes
     * the tenant ({@link io.irisx.core.tenant.Tenants#delete}); a module that keeps none need not override it.
     */
    default void deleteTenant(Connection connection, TenantId tenant) throws SQLException {
    }

    /**
     * Checks a tenant's settings before {@link io.irisx.core.tenant.Tenants#updateSettings} stores them: a module
     * refuses, with {@link io.irisx.core.IrisxValidationException} naming the field and the value, what it can tell
     * will not work (a provider chain naming a provider it does not have registered, a sender it cannot send from).
     * A module that cannot tell (one that only queues work) accepts them. Default: accepts everything.
     */
    default void checkSettings(TenantId tenant, TenantSettings settings) {
    }

    /**
     * Tells the module that {@code tenant}'s settings were changed (or the tenant deleted) in this process, once the
     * change commits: a module that keeps a tenant's settings for a while (a worker's provider chain) forgets them,
     * so that the change applies at once here. Other processes on the database are not told: they read the settings
     * again when what they keep expires. Called on the thread that made the change; must not throw. Default: nothing.
     */
    default void settingsChanged(TenantId tenant) {
    }
}
