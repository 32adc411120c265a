using ImagingRepo.Tracing;
using ImagingRepo.Tracing.Ledgers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Ethereum ledger in place of the file ledger of <c>AddImagingRepoTracing</c>.</summary>
public static class EthereumTracingServiceCollectionExtensions
{
    /// <summary>The configuration section of the ledger's options by convention (<c>ImagingRepo:Tracing:Ethereum</c>).</summary>
    public const string SectionName = "ImagingRepo:Tracing:Ethereum";

    /// <summary>Anchors on Ethereum with <see cref="EthereumTraceLedgerOptions"/> bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The services (with <c>AddImagingRepoTracing</c>).</param>
    /// <param name="configuration">The <c>ImagingRepo:Tracing:Ethereum</c> section (<see cref="SectionName"/>).</param>
    public static IServiceCollection AddImagingRepoTracingEthereum(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, o => o.Bind(configuration));
    }

    /// <summary>Anchors on Ethereum with the options set by <paramref name="configure"/>.</summary>
    /// <param name="services">The services (with <c>AddImagingRepoTracing</c>).</param>
    /// <param name="configure">Sets the options (a key from a secret store, for one).</param>
    public static IServiceCollection AddImagingRepoTracingEthereum(this IServiceCollection services, Action<EthereumTraceLedgerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, o => o.Configure(configure));
    }

    private static IServiceCollection AddCore(IServiceCollection services, Action<OptionsBuilder<EthereumTraceLedgerOptions>> set)
    {
        ArgumentNullException.ThrowIfNull(services);
        set(services.AddOptions<EthereumTraceLedgerOptions>());
        return services.ConfigureImagingRepoTracing((builder, sp) =>
            builder.UseEthereumLedger(sp.GetRequiredService<IOptions<EthereumTraceLedgerOptions>>().Value));
    }
}
