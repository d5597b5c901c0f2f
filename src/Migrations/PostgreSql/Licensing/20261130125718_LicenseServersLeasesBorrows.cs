using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.PostgreSql.Licensing
{
    /// <inheritdoc />
    public partial class LicenseServersLeasesBorrows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "activation_codes",
                schema: "licensing",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CodeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UsedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ServerId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activation_codes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "borrows",
                schema: "licensing",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LicenseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Seats = table.Column<int>(type: "integer", nullable: false),
                    Machine = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    BorrowedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReturnByUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    EndsAtExpiry = table.Column<bool>(type: "boolean", nullable: false),
                    File = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_borrows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_borrows_licenses_LicenseId",
                        column: x => x.LicenseId,
                        principalSchema: "licensing",
                        principalTable: "licenses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "license_servers",
                schema: "licensing",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ServerKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(71)", maxLength: 71, nullable: false),
                    Mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ActivatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeenUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DeactivatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SecretHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_license_servers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "file_activations",
                schema: "licensing",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ServerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Nonce = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RequestCreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    IssuedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ValidUntilUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    KeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Response = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_file_activations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_file_activations_license_servers_ServerId",
                        column: x => x.ServerId,
                        principalSchema: "licensing",
                        principalTable: "license_servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "leases",
                schema: "licensing",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LicenseId = table.Column<Guid>(type: "uuid", nullable: false),
                    ServerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Seats = table.Column<int>(type: "integer", nullable: false),
                    Mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    EndsAtExpiry = table.Column<bool>(type: "boolean", nullable: false),
                    ServerTold = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_leases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_leases_license_servers_ServerId",
                        column: x => x.ServerId,
                        principalSchema: "licensing",
                        principalTable: "license_servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_leases_licenses_LicenseId",
                        column: x => x.LicenseId,
                        principalSchema: "licensing",
                        principalTable: "licenses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_activation_codes_CodeHash",
                schema: "licensing",
                table: "activation_codes",
                column: "CodeHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_activation_codes_CustomerId",
                schema: "licensing",
                table: "activation_codes",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_borrows_CustomerId_EndedUtc",
                schema: "licensing",
                table: "borrows",
                columns: new[] { "CustomerId", "EndedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_borrows_EndedUtc_ReturnByUtc",
                schema: "licensing",
                table: "borrows",
                columns: new[] { "EndedUtc", "ReturnByUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_borrows_LicenseId_EndedUtc",
                schema: "licensing",
                table: "borrows",
                columns: new[] { "LicenseId", "EndedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_file_activations_Nonce",
                schema: "licensing",
                table: "file_activations",
                column: "Nonce",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_file_activations_ServerId",
                schema: "licensing",
                table: "file_activations",
                column: "ServerId");

            migrationBuilder.CreateIndex(
                name: "IX_leases_EndedUtc_ExpiresUtc",
                schema: "licensing",
                table: "leases",
                columns: new[] { "EndedUtc", "ExpiresUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_leases_LicenseId_EndedUtc",
                schema: "licensing",
                table: "leases",
                columns: new[] { "LicenseId", "EndedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_leases_ServerId_EndedUtc",
                schema: "licensing",
                table: "leases",
                columns: new[] { "ServerId", "EndedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_license_servers_CustomerId",
                schema: "licensing",
                table: "license_servers",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_license_servers_Fingerprint",
                schema: "licensing",
                table: "license_servers",
                column: "Fingerprint",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activation_codes",
                schema: "licensing");

            migrationBuilder.DropTable(
                name: "borrows",
                schema: "licensing");

            migrationBuilder.DropTable(
                name: "file_activations",
                schema: "licensing");

            migrationBuilder.DropTable(
                name: "leases",
                schema: "licensing");

            migrationBuilder.DropTable(
                name: "license_servers",
                schema: "licensing");
        }
    }
}
