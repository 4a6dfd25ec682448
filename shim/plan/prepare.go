package plan

import "time"

// Prepare makes what the plan p needs before its command runs: the first
// step of carrying it out, and the first that writes.
func (s *Planner) Prepare(p Plan) error {
	if p.Cache != nil {
		if _, err := p.Cache.Ensure(time.Now()); err != nil {
			return err
		}
	}
	if p.Wrapper != nil {
		if err := p.Wrapper.Make(); err != nil {
			return err
		}
	}
	if p.QemuLD != nil {
		if err := p.QemuLD.Make(); err != nil {
			return err
		}
	}
	if p.Prepare != nil {
		return s.PrepareWine(*p.Prepare)
	}
	return nil
}
