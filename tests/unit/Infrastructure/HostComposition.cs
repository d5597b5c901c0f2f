using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>
/// Runs a host's real entry point (Program.cs) until it has built its host, then stops it there, and hands back
/// the built host's services: what the process would compose, without starting it. The same interception
/// dotnet ef and WebApplicationFactory use (the hosting library's "HostBuilt" diagnostic event).
/// </summary>
public static class HostComposition
{
    public static IServiceProvider BuildServices(Assembly hostAssembly, params string[] args)
    {
        var entryPoint = hostAssembly.EntryPoint ?? throw new InvalidOperationException($"{hostAssembly.GetName().Name} has no entry point.");
        IHost? built = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            using var subscription = DiagnosticListener.AllListeners.Subscribe(new ListenerObserver(Thread.CurrentThread, host => built = host));
            try
            {
                entryPoint.Invoke(null, [args]);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is StopAtBuilt)
            {
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"{hostAssembly.GetName().Name} did not build its host.");
        }
        return built?.Services ?? throw new InvalidOperationException($"{hostAssembly.GetName().Name} built no host.", failure);
    }

    private sealed class StopAtBuilt : Exception;

    private sealed class ListenerObserver(Thread owner, Action<IHost> built) : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                listener.Subscribe(new EventObserver(owner, built));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class EventObserver(Thread owner, Action<IHost> built) : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            // Other tests build hosts at the same time: only the one this thread builds is stopped.
            if (value.Key == "HostBuilt" && value.Value is IHost host && Thread.CurrentThread == owner)
            {
                built(host);
                throw new StopAtBuilt();
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
