using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.PostgreSql.Licensing
{
    /// <inheritdoc />
    public partial class LicenseAllocations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Allocated",
                schema: "licensing",
                table: "licenses",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "allocations",
                schema: "licensing",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LicenseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Seats = table.Column<int>(type: "integer", nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "date", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    EndedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_allocations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_allocations_licenses_LicenseId",
                        column: x => x.LicenseId,
                        principalSchema: "licensing",
                        principalTable: "licenses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_allocations_CustomerId_EndedUtc_UserId",
                schema: "licensing",
                table: "allocations",
                columns: new[] { "CustomerId", "EndedUtc", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_allocations_EndedUtc_ExpiresOn",
                schema: "licensing",
                table: "allocations",
                columns: new[] { "EndedUtc", "ExpiresOn" });

            migrationBuilder.CreateIndex(
                name: "IX_allocations_LicenseId_EndedUtc",
                schema: "licensing",
                table: "allocations",
                columns: new[] { "LicenseId", "EndedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_allocations_UserId_EndedUtc",
                schema: "licensing",
                table: "allocations",
                columns: new[] { "UserId", "EndedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "allocations",
                schema: "licensing");

            migrationBuilder.DropColumn(
                name: "Allocated",
                schema: "licensing",
                table: "licenses");
        }
    }
}
