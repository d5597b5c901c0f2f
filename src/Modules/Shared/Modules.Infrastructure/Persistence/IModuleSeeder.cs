namespace ChaosModular.Modules.Infrastructure.Persistence;

/// <summary>
/// Data a module must have once its schema is migrated (the catalog file, the demo customer when <c>Seed:Demo</c>
/// is on). Runs at start-up in the process that migrates; must be safe to run again.
/// </summary>
public interface IModuleSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}
