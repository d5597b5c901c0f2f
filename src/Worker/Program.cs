using ChaosModular.Modules.Infrastructure.Hosting;
using ChaosModular.Composition;

var builder = Host.CreateApplicationBuilder(args);
builder.AddChaosModules(ModuleList.All, HostRole.Worker);

var host = builder.Build();
await host.RunAsync();
