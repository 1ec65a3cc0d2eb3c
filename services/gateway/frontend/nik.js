// Decoding a NIK for display only (the server decides): a port of
// services/registration/domain/nik.py. 6 digits kecamatan, DDMMYY (+40 on DD for women), serial.
export function decodeNik(nik) {
  if (!/^[0-9]*$/.test(nik)) return { error: "NIK hanya berisi angka." };
  if (nik.length < 16) return { partial: true, error: `NIK harus 16 angka (baru ${nik.length}).` };
  if (nik.length > 16) return { error: "NIK harus tepat 16 angka." };
  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const female = rawDay > 40;
  const day = female ? rawDay - 40 : rawDay;
  if (!(day >= 1 && day <= 31 && month >= 1 && month <= 12)) {
    return { error: "Tanggal lahir di dalam NIK tidak valid." };
  }
  const real = [1900, 2000].some((century) => {
    const d = new Date(Date.UTC(century + yy, month - 1, day));
    return d.getUTCDate() === day && d.getUTCMonth() === month - 1;
  });
  if (!real) return { error: "Tanggal lahir di dalam NIK bukan tanggal yang ada." };
  if (nik.slice(12) === "0000") return { error: "Empat angka terakhir NIK tidak boleh 0000." };
  return {
    province: nik.slice(0, 2), regency: nik.slice(0, 4), kecamatan: nik.slice(0, 6),
    day, month, yy, sex: female ? "P" : "L",
  };
}

const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
  "September", "Oktober", "November", "Desember"];

// place: GET /regions/{kecamatan} of the NIK (names), or null while unknown (codes only).
export function describeNik(info, place = null) {
  const yy = String(info.yy).padStart(2, "0");
  const where = place
    ? `Kecamatan ${place.name}, ${place.regency_name}, ${place.province_name}`
    : `provinsi ${info.province}, kabupaten/kota ${info.regency}, kecamatan ${info.kecamatan}`;
  return `Wilayah: ${where} · Lahir: ${info.day} ${MONTHS[info.month - 1]} (tahun ..${yy}) · ` +
    `Jenis kelamin: ${info.sex === "P" ? "Perempuan" : "Laki-laki"}`;
}

// The NIK against the birth date (YYYY-MM-DD) and sex the candidate typed: Indonesian notes.
export function nikMismatches(info, birthDate, sex) {
  const notes = [];
  if (birthDate) {
    const [y, m, d] = birthDate.split("-").map(Number);
    if (d !== info.day || m !== info.month || y % 100 !== info.yy) {
      notes.push("NIK tidak cocok dengan tanggal lahir.");
    }
  }
  if (sex && sex !== info.sex) notes.push("NIK tidak cocok dengan jenis kelamin.");
  return notes;
}
