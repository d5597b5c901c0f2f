using ChaosModular.Modules.Infrastructure.Hosting;
using ChaosModular.Worker;

var builder = Host.CreateApplicationBuilder(args);
builder.AddChaosModules(ModulesRegistry.Modules, HostRole.Worker);

var host = builder.Build();
await host.RunAsync();
