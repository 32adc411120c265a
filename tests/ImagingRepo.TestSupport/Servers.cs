namespace ImagingRepo.TestSupport;

/// <summary>PostgreSQL (<c>scripts/services/postgres.sh</c>): <c>IMAGINGREPO_POSTGRES</c> is an Npgsql connection string.</summary>
public sealed class PostgresServer() : ServerFixture("PostgreSQL", "scripts/services/postgres.sh", "IMAGINGREPO_POSTGRES")
{
    /// <summary>Npgsql connection string of a database the tests may create objects in.</summary>
    public string ConnectionString => Get("IMAGINGREPO_POSTGRES");

    /// <inheritdoc />
    protected override (string Host, int Port) ProbeAddress()
    {
        string host = "127.0.0.1";
        int port = 5432;
        foreach (var part in ConnectionString.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            var key = kv[0].Trim();
            if (key.Equals("Host", StringComparison.OrdinalIgnoreCase)) host = kv[1].Trim();
            if (key.Equals("Port", StringComparison.OrdinalIgnoreCase)) port = int.Parse(kv[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return (host, port);
    }
}

/// <summary>Ceph RADOS Gateway S3 (<c>scripts/services/ceph.sh</c>).</summary>
public sealed class CephServer() : ServerFixture("Ceph RADOS Gateway", "scripts/services/ceph.sh",
    "IMAGINGREPO_S3_ENDPOINT", "IMAGINGREPO_S3_ACCESS_KEY", "IMAGINGREPO_S3_SECRET_KEY")
{
    /// <summary>S3 endpoint URL, e.g. http://127.0.0.1:47480.</summary>
    public string Endpoint => Get("IMAGINGREPO_S3_ENDPOINT");

    /// <summary>Access key of the test user.</summary>
    public string AccessKey => Get("IMAGINGREPO_S3_ACCESS_KEY");

    /// <summary>Secret key of the test user.</summary>
    public string SecretKey => Get("IMAGINGREPO_S3_SECRET_KEY");

    /// <inheritdoc />
    protected override (string Host, int Port) ProbeAddress() => FromUrl(Endpoint);
}

/// <summary>oidc-provider (<c>scripts/services/oidc.sh</c>), the Keycloak stand-in.</summary>
public sealed class OidcServer() : ServerFixture("oidc-provider", "scripts/services/oidc.sh",
    "IMAGINGREPO_OIDC_ISSUER", "IMAGINGREPO_OIDC_CLIENT_ID", "IMAGINGREPO_OIDC_CLIENT_SECRET")
{
    /// <summary>Issuer URL; discovery is at <c>/.well-known/openid-configuration</c>.</summary>
    public string Issuer => Get("IMAGINGREPO_OIDC_ISSUER");

    /// <summary>Confidential client for the client-credentials grant.</summary>
    public string ClientId => Get("IMAGINGREPO_OIDC_CLIENT_ID");

    /// <summary>Secret of <see cref="ClientId"/>.</summary>
    public string ClientSecret => Get("IMAGINGREPO_OIDC_CLIENT_SECRET");

    /// <inheritdoc />
    protected override (string Host, int Port) ProbeAddress() => FromUrl(Issuer);
}

/// <summary>Hardhat node (<c>scripts/services/hardhat.sh</c>), the Besu stand-in: chain id 31337, automine, funded accounts.</summary>
public sealed class HardhatServer() : ServerFixture("Hardhat", "scripts/services/hardhat.sh", "IMAGINGREPO_ETH_RPC")
{
    /// <summary>JSON-RPC URL, e.g. http://127.0.0.1:48545.</summary>
    public string RpcUrl => Get("IMAGINGREPO_ETH_RPC");

    /// <inheritdoc />
    protected override (string Host, int Port) ProbeAddress() => FromUrl(RpcUrl);
}

/// <summary>Orthanc with DICOMweb (<c>scripts/services/orthanc.sh</c>), reachable only inside its loopback network namespace.</summary>
public sealed class OrthancServer() : ServerFixture("Orthanc", "scripts/services/orthanc.sh", "IMAGINGREPO_ORTHANC_URL")
{
    /// <summary>Orthanc REST root; DICOMweb is under <c>/dicom-web</c>.</summary>
    public string Url => Get("IMAGINGREPO_ORTHANC_URL");

    /// <inheritdoc />
    protected override (string Host, int Port) ProbeAddress() => FromUrl(Url);
}
